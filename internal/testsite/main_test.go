package main

import (
	"net"
	"strings"
	"testing"

	"folio/internal/testsite/wpsite"
)

func TestRunRejectsBadInput(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests := []struct {
		addr     string
		articles int
		want     string
	}{
		{"127.0.0.1:0", 0, "-articles 0: must be at least 1"},
		{taken.Addr().String(), 60, "listen on " + taken.Addr().String()},
		{"127.0.0.1:notaport", 60, "listen on 127.0.0.1:notaport"},
	}
	for _, tt := range tests {
		err := run(tt.addr, wpsite.Options{Articles: tt.articles})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q, %d) = %v, want an error containing %q", tt.addr, tt.articles, err, tt.want)
		}
	}
}
