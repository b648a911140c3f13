package calc

import (
	"errors"
	"math"
)

// ErrDivisionByZero is returned by Div when the divisor is zero. Its text travels to remote
// callers unchanged, so clients can recognise it with errors.Is (see Client).
var ErrDivisionByZero = errors.New("division by zero")

// ErrOverflow is returned when a result does not fit in an int. Go's integers wrap around
// silently; a calculator that answers 9223372036854775807 + 1 = -9223372036854775808 is lying.
var ErrOverflow = errors.New("integer overflow")

// Add returns a + b, or ErrOverflow when the sum does not fit in an int.
func Add(a, b int) (int, error) {
	if (b > 0 && a > math.MaxInt-b) || (b < 0 && a < math.MinInt-b) {
		return 0, ErrOverflow
	}
	return a + b, nil
}

// Sub returns a - b, or ErrOverflow when the difference does not fit in an int.
func Sub(a, b int) (int, error) {
	if (b < 0 && a > math.MaxInt+b) || (b > 0 && a < math.MinInt+b) {
		return 0, ErrOverflow
	}
	return a - b, nil
}

// Mul returns a * b, or ErrOverflow when the product does not fit in an int.
func Mul(a, b int) (int, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	p := a * b
	// Division undoes a product that did not wrap; MinInt * -1 is the one case where it wraps
	// to itself, so it is checked on its own.
	if p/b != a || (a == -1 && b == math.MinInt) || (b == -1 && a == math.MinInt) {
		return 0, ErrOverflow
	}
	return p, nil
}

// Div returns a / b truncated toward zero, ErrDivisionByZero when b is zero, and ErrOverflow for
// MinInt / -1, whose true result is one more than MaxInt.
func Div(a, b int) (int, error) {
	if b == 0 {
		return 0, ErrDivisionByZero
	}
	if a == math.MinInt && b == -1 {
		return 0, ErrOverflow
	}
	return a / b, nil
}
