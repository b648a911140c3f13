package tuned

import "encoding/binary"

// carrier holds a request's propagation fields as they travel on the wire: key, value, key,
// value…, each one a length (a uvarint) followed by its bytes. A request carries two or three
// fields at most, so a flat byte slice is small, and gob decodes it into the same storage
// request after request: the server allocates only the one value the propagator asks for (see
// BenchmarkCall).
type carrier []byte

// Get returns the value for key, or "" if the request did not carry it or its bytes are
// malformed.
func (c carrier) Get(key string) string {
	for i := 0; i < len(c); {
		k, v, next, ok := c.field(i)
		if !ok {
			return ""
		}
		if string(k) == key {
			return string(v)
		}
		i = next
	}
	return ""
}

// Set stores value under key, replacing an earlier value. Malformed bytes after the last whole
// field are dropped first, so that the new field can be read back.
func (c *carrier) Set(key, value string) {
	*c = (*c)[:c.wellFormed()]
	c.remove(key)
	*c = binary.AppendUvarint(*c, uint64(len(key)))
	*c = append(*c, key...)
	*c = binary.AppendUvarint(*c, uint64(len(value)))
	*c = append(*c, value...)
}

// Keys lists the keys the request carries, up to the first malformed field.
func (c carrier) Keys() []string {
	var keys []string
	for i := 0; i < len(c); {
		k, _, next, ok := c.field(i)
		if !ok {
			break
		}
		keys = append(keys, string(k))
		i = next
	}
	return keys
}

// wellFormed returns the length of the carrier's leading whole fields.
func (c carrier) wellFormed() int {
	i := 0
	for i < len(c) {
		_, _, next, ok := c.field(i)
		if !ok {
			break
		}
		i = next
	}
	return i
}

// remove deletes every field named key (a malformed request may carry one twice).
func (c *carrier) remove(key string) {
	for i := 0; i < len(*c); {
		k, _, next, ok := c.field(i)
		if !ok {
			return
		}
		if string(k) == key {
			*c = append((*c)[:i], (*c)[next:]...)
			continue
		}
		i = next
	}
}

// field reads the field that starts at offset i: its key, its value and where the next field
// starts. ok is false when the bytes there do not hold a whole field.
func (c carrier) field(i int) (key, value []byte, next int, ok bool) {
	key, i, ok = c.chunk(i)
	if !ok {
		return nil, nil, 0, false
	}
	value, next, ok = c.chunk(i)
	return key, value, next, ok
}

// chunk reads one length-prefixed chunk at offset i.
func (c carrier) chunk(i int) (data []byte, next int, ok bool) {
	n, width := binary.Uvarint(c[i:])
	if width <= 0 || n > uint64(len(c)-i-width) {
		return nil, 0, false
	}
	start := i + width
	end := start + int(n)
	return c[start:end], end, true
}
