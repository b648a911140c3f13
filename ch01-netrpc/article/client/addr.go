package main

import "os"

// serverAddr returns the article's "localhost:1234", or $ARTICLE_ADDR when it is set, so that a
// test can reach a server on a free port. It is the one line main.go changes from the article.
func serverAddr() string {
	if addr := os.Getenv("ARTICLE_ADDR"); addr != "" {
		return addr
	}
	return "localhost:1234"
}
