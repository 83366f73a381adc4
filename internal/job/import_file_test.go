package job

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const lines = "{\"url\":\"https://radio.example/a/\"}\n"
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(lines))
	zw.Close()
	for _, tt := range []struct {
		name    string
		content []byte
		want    string
		wantErr string
	}{
		{name: "plain.jsonl", content: []byte(lines), want: lines},
		{name: "zipped.jsonl", content: zipped.Bytes(), want: lines}, // compressed, whatever its name
		{name: "broken.jsonl.gz", content: []byte{0x1f, 0x8b, 0}, wantErr: "import " + filepath.Join(dir, "broken.jsonl.gz") + ": "},
		{name: "missing.jsonl", wantErr: "import: open " + filepath.Join(dir, "missing.jsonl") + ": no such file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if tt.content != nil {
				if err := os.WriteFile(path, tt.content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r, err := OpenExport(path)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one starting %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := io.ReadAll(r)
			if err != nil || string(got) != tt.want {
				t.Errorf("read %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
