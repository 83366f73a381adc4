package synthetic

import (
	"io"
	"strings"
)

// filler reads n bytes of c: a long line that no test holds in memory.
type filler struct {
	c byte
	n int64
}

func (f *filler) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), f.n)]
	for i := range p {
		p[i] = f.c
	}
	f.n -= int64(len(p))
	return len(p), nil
}

// LongRecordLine is a reader of one export record line (JSON Lines) whose body is n bytes of x,
// newline included.
func LongRecordLine(url string, n int64) io.Reader {
	head := `{"id":"","url":"` + url + `","site":"","title":"Long","published":null,` +
		`"modified":null,"category":"","categories":[],"tags":[],"author":"","language":"en","summary":"","body":"`
	tail := `","body_html":"","previous":null,"next":null,"related":[],"source_url":null,` +
		`"comment_count":null,"images":[],"fetched_at":"2024-01-02T03:04:05Z","content_hash":""}` + "\n"
	return io.MultiReader(strings.NewReader(head), &filler{'x', n}, strings.NewReader(tail))
}
