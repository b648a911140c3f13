package tuned

import (
	"encoding/json"
	"errors"
	"io"
	"net/rpc"
	"net/rpc/jsonrpc"
	"sync"
)

// jsonRequest is a JSON-RPC 1.0 request as net/rpc/jsonrpc writes it, plus "meta". JSON decoders
// ignore keys they do not know, so an untraced jsonrpc server still understands it.
type jsonRequest struct {
	Method string            `json:"method"`
	Params [1]any            `json:"params"`
	ID     uint64            `json:"id"`
	Meta   map[string]string `json:"meta,omitempty"`
}

// jsonClientWire writes requests with metadata and reads responses with jsonrpc's own codec:
// responses are unchanged, and net/rpc's client needs nothing from them but Seq and Error.
type jsonClientWire struct {
	rpc.ClientCodec
	mu  sync.Mutex // net/rpc serialises WriteRequest; the lock keeps that assumption local
	enc *json.Encoder
}

func newJSONClientWire(conn io.ReadWriteCloser) *jsonClientWire {
	return &jsonClientWire{ClientCodec: jsonrpc.NewClientCodec(conn), enc: json.NewEncoder(conn)}
}

func (c *jsonClientWire) writeRequest(r *rpc.Request, meta carrier, body any) error {
	var fields map[string]string
	if len(meta) > 0 {
		// An object reads better than a list to anyone looking at the JSON on the wire.
		keys := meta.Keys()
		fields = make(map[string]string, len(keys))
		for _, k := range keys {
			fields[k] = meta.Get(k)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enc.Encode(&jsonRequest{Method: r.ServiceMethod, Params: [1]any{body}, ID: r.Seq, Meta: fields})
}

// jsonServerRequest is what the server decodes; params and id stay raw until needed.
type jsonServerRequest struct {
	Method string            `json:"method"`
	Params *json.RawMessage  `json:"params"`
	ID     *json.RawMessage  `json:"id"`
	Meta   map[string]string `json:"meta"`
}

type jsonServerResponse struct {
	ID     *json.RawMessage `json:"id"`
	Result any              `json:"result"`
	Error  any              `json:"error"`
}

var (
	errMissingParams = errors.New("jsonrpc: request body missing params")
	errUnknownSeq    = errors.New("invalid sequence number in response")
	jsonNull         = json.RawMessage("null")
)

// jsonServerWire mirrors net/rpc/jsonrpc's server codec. JSON-RPC ids can be any JSON value, so
// the codec hands net/rpc its own sequence numbers and remembers which id each one stands for.
type jsonServerWire struct {
	dec    *json.Decoder
	enc    *json.Encoder
	closer io.Closer
	req    jsonServerRequest

	mu      sync.Mutex
	seq     uint64
	pending map[uint64]*json.RawMessage
}

func newJSONServerWire(conn io.ReadWriteCloser) *jsonServerWire {
	return &jsonServerWire{
		dec:     json.NewDecoder(conn),
		enc:     json.NewEncoder(conn),
		closer:  conn,
		pending: make(map[uint64]*json.RawMessage),
	}
}

func (c *jsonServerWire) readRequestHeader(r *rpc.Request, meta *carrier) error {
	c.req = jsonServerRequest{}
	if err := c.dec.Decode(&c.req); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.pending[c.seq] = c.req.ID
	r.ServiceMethod, r.Seq = c.req.Method, c.seq
	*meta = (*meta)[:0]
	for k, v := range c.req.Meta {
		meta.Set(k, v)
	}
	return nil
}

func (c *jsonServerWire) ReadRequestBody(body any) error {
	if body == nil {
		return nil
	}
	if c.req.Params == nil {
		return errMissingParams
	}
	// JSON-RPC 1.0 params are an array; net/rpc methods take exactly one argument.
	params := [1]any{body}
	return json.Unmarshal(*c.req.Params, &params)
}

func (c *jsonServerWire) WriteResponse(r *rpc.Response, body any) error {
	c.mu.Lock()
	id, ok := c.pending[r.Seq]
	delete(c.pending, r.Seq)
	c.mu.Unlock()
	if !ok {
		return errUnknownSeq
	}
	if id == nil {
		id = &jsonNull
	}
	resp := jsonServerResponse{ID: id}
	if r.Error == "" {
		resp.Result = body
	} else {
		resp.Error = r.Error
	}
	return c.enc.Encode(resp)
}

func (c *jsonServerWire) Close() error { return c.closer.Close() }
