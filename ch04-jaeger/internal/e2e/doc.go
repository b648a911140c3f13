// Package e2e holds chapter 4's end-to-end tests: the real Jaeger (bin/jaeger, built from Go
// modules by `make backends`) and the five services as separate processes (`make ch04-bins`).
// They are behind the e2e build tag, so `go test ./...` stays offline; `make test` runs them with
// `-tags e2e`. A missing binary fails them: they never skip.
package e2e
