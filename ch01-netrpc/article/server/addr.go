package main

import "os"

// listenAddr returns the article's ":1234", or $ARTICLE_ADDR when it is set, so that a test can
// run this server on a free port. It is the one line main.go changes from the article.
func listenAddr() string {
	if addr := os.Getenv("ARTICLE_ADDR"); addr != "" {
		return addr
	}
	return ":1234"
}
