package calc_test

import (
	"net/rpc"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestArticleClient runs the source article's client against this chapter's server. The article
// declares Args and Reply in its own package main, so they are declared here too rather than
// imported: gob matches fields by name, not types by package, which is what lets a client that
// knows nothing of package calc call it. Only the address differs (the test's free port instead
// of localhost:1234), and the errors the article ignored are checked.
func TestArticleClient(t *testing.T) {
	type Args struct {
		A, B int
	}
	type Reply struct {
		Result int
	}
	srv := startServer(t)

	// region: article-client
	client, err := rpc.Dial("tcp", srv.Addr)
	require.NoError(t, err)
	defer client.Close()
	args := &Args{4, 5}
	reply := new(Reply)
	err = client.Call("Calculator.Add", args, reply)
	require.NoError(t, err)
	assert.Equal(t, 9, reply.Result)
	// endregion
}
