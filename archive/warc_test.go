package archive

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"folio"
)

// readWARC parses a WARC export back with the library, strictly: digests,
// lengths and syntax are all checked.
func readWARC(t *testing.T, data []byte) []gowarc.WarcRecord {
	t.Helper()
	u := NewWARCUnmarshaler(gowarc.WithStrictValidation())
	r := bufio.NewReader(bytes.NewReader(data))
	var records []gowarc.WarcRecord
	for {
		rec, _, validation, err := u.Unmarshal(r)
		if errors.Is(err, io.EOF) {
			return records
		}
		if err != nil {
			t.Fatalf("record %d does not parse: %v", len(records), err)
		}
		if len(validation) > 0 {
			t.Errorf("record %d (%s): %v", len(records), rec.Type(), validation)
		}
		if findings, err := rec.ValidateDigest(); err != nil || len(findings) > 0 {
			t.Errorf("record %d (%s): digest: %v %v", len(records), rec.Type(), err, findings)
		}
		records = append(records, rec)
		t.Cleanup(func() { rec.Close() })
	}
}

func readAll(t *testing.T, r io.Reader, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestExportWARC stores three captures (one article twice, one reached
// through a redirect and served as Latin-1), exports them as WARC and reads
// them back.
func TestExportWARC(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{}
	s := newStore(t, WithClock(clock.now))

	first := testArticle("radio.example", 1)
	clock.set(time.Date(2024, 1, 2, 3, 5, 0, 0, time.UTC))
	mustPut(t, s, first, testPage(first))

	second := testArticle("radio.example", 2)
	page2 := testPage(second)
	page2.RequestedURL = "https://radio.example/?p=2"
	page2.Header = http.Header{
		"Content-Type":     {"text/html; charset=ISO-8859-1"},
		"Content-Encoding": {"gzip"},
		"Content-Length":   {"12"},
		"Server":           {"Apache"},
	}
	page2.Body = []byte("<html><body>Déjà vu, « çà et là ».</body></html>")
	mustPut(t, s, second, page2)

	// The first article changes a day later: a second capture of it.
	changed := first
	changed.Body += "\n\nMise à jour."
	changed.ContentHash = folio.ContentHash(changed.Title, changed.Body)
	changed.FetchedAt = first.FetchedAt.Add(24 * time.Hour)
	clock.set(time.Date(2024, 1, 3, 3, 5, 0, 0, time.UTC))
	mustPut(t, s, changed, testPage(changed))

	var out bytes.Buffer
	n, err := s.Export(ctx, &out, ExportOptions{Format: FormatWARC})
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("Export wrote %d captures, want 3", n)
	}
	records := readWARC(t, out.Bytes())

	// Written by hand: warcinfo, then response, request, metadata per
	// capture; article 1 (published first) with its two captures in the
	// order stored, then article 2.
	type want struct {
		typ      gowarc.RecordType
		target   string
		date     time.Time
		status   int
		body     string
		headers  map[string]string // HTTP headers of a response
		fields   map[string]string // warc-fields of a metadata record
		requestL string
	}
	wants := []want{
		{typ: gowarc.Warcinfo},
		{typ: gowarc.Response, target: first.URL, date: first.FetchedAt, status: 200, body: string(testPage(first).Body),
			headers: map[string]string{"Content-Type": "text/html; charset=utf-8", "Last-Modified": "Mon, 07 Nov 2022 08:00:00 GMT"}},
		{typ: gowarc.Request, target: first.URL, date: first.FetchedAt,
			requestL: "GET /2022/11/02/article-1/ HTTP/1.1\r\nHost: radio.example\r\n\r\n"},
		{typ: gowarc.Metadata, target: first.URL, date: first.FetchedAt,
			fields: map[string]string{"article-id": first.ID, "revision": "1", "depth": "2", "requested-url": "",
				"original-content-type": "text/html; charset=UTF-8"}},
		{typ: gowarc.Response, target: first.URL, date: changed.FetchedAt, status: 200, body: string(testPage(changed).Body)},
		{typ: gowarc.Request, target: first.URL, date: changed.FetchedAt},
		{typ: gowarc.Metadata, target: first.URL, date: changed.FetchedAt,
			fields: map[string]string{"article-id": first.ID, "revision": "2"}},
		{typ: gowarc.Response, target: second.URL, date: second.FetchedAt, status: 200, body: string(page2.Body),
			headers: map[string]string{"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "",
				"Content-Length": "55", "Server": "Apache"}},
		{typ: gowarc.Request, target: second.URL, date: second.FetchedAt,
			requestL: "GET /2022/11/03/article-2/ HTTP/1.1\r\nHost: radio.example\r\n\r\n"},
		{typ: gowarc.Metadata, target: second.URL, date: second.FetchedAt,
			fields: map[string]string{"article-id": second.ID, "revision": "1",
				"requested-url": "https://radio.example/?p=2", "original-content-type": "text/html; charset=ISO-8859-1"}},
	}
	if len(records) != len(wants) {
		t.Fatalf("read back %d records, want %d", len(records), len(wants))
	}
	infoID := records[0].RecordId()
	var responseID string
	for i, w := range wants {
		rec := records[i]
		h := rec.WarcHeader()
		if rec.Type() != w.typ {
			t.Errorf("record %d: type %s, want %s", i, rec.Type(), w.typ)
			continue
		}
		if rec.Version().String() != "WARC/1.1" {
			t.Errorf("record %d: version %s, want WARC/1.1", i, rec.Version())
		}
		if w.typ == gowarc.Warcinfo {
			continue
		}
		if got := h.Get(gowarc.WarcTargetURI); got != w.target {
			t.Errorf("record %d: target %q, want %q", i, got, w.target)
		}
		if got, err := rec.Date(); err != nil || !got.Equal(w.date) {
			t.Errorf("record %d: date %v (%v), want %v", i, got, err, w.date)
		}
		if got := h.GetId(gowarc.WarcWarcinfoID); got != infoID {
			t.Errorf("record %d: warcinfo id %q, want %q", i, got, infoID)
		}
		switch w.typ {
		case gowarc.Response:
			responseID = rec.RecordId()
			block, ok := rec.Block().(gowarc.HttpResponseBlock)
			if !ok {
				t.Fatalf("record %d: block is %T, want an HTTP response", i, rec.Block())
			}
			if block.HttpStatusCode() != w.status {
				t.Errorf("record %d: status %d, want %d", i, block.HttpStatusCode(), w.status)
			}
			for k, v := range w.headers {
				if got := block.HttpHeader().Get(k); got != v {
					t.Errorf("record %d: header %s = %q, want %q", i, k, got, v)
				}
			}
			payload, err := block.PayloadBytes()
			if got := string(readAll(t, payload, err)); got != w.body {
				t.Errorf("record %d: body %q, want %q", i, got, w.body)
			}
			if h.Get(gowarc.WarcPayloadDigest) == "" || !strings.HasPrefix(h.Get(gowarc.WarcBlockDigest), "sha1:") {
				t.Errorf("record %d: digests %q, %q; want both, in SHA-1", i, h.Get(gowarc.WarcPayloadDigest), h.Get(gowarc.WarcBlockDigest))
			}
		case gowarc.Request:
			if got := h.GetId(gowarc.WarcConcurrentTo); got != responseID {
				t.Errorf("record %d: concurrent to %q, want the response %q", i, got, responseID)
			}
			block, ok := rec.Block().(gowarc.HttpRequestBlock)
			if !ok {
				t.Fatalf("record %d: block is %T, want an HTTP request", i, rec.Block())
			}
			raw, err := block.RawBytes()
			got := string(readAll(t, raw, err))
			if w.requestL != "" && got != w.requestL {
				t.Errorf("record %d: request %q, want %q", i, got, w.requestL)
			}
		case gowarc.Metadata:
			if got := h.GetId(gowarc.WarcConcurrentTo); got != responseID {
				t.Errorf("record %d: concurrent to %q, want the response %q", i, got, responseID)
			}
			block, ok := rec.Block().(gowarc.WarcFieldsBlock)
			if !ok {
				t.Fatalf("record %d: block is %T, want warc-fields", i, rec.Block())
			}
			for k, v := range w.fields {
				if got := block.WarcFields().Get(k); got != v {
					t.Errorf("record %d: field %s = %q, want %q", i, k, got, v)
				}
			}
		}
	}

	t.Run("same records on a second export", func(t *testing.T) {
		var again bytes.Buffer
		if _, err := s.Export(ctx, &again, ExportOptions{Format: FormatWARC}); err != nil {
			t.Fatal(err)
		}
		second := readWARC(t, again.Bytes())
		for i := 1; i < len(records); i++ {
			if second[i].RecordId() != records[i].RecordId() {
				t.Errorf("record %d: id %s, was %s", i, second[i].RecordId(), records[i].RecordId())
			}
		}
	})

	t.Run("gzip, record by record", func(t *testing.T) {
		var gz bytes.Buffer
		if _, err := s.Export(ctx, &gz, ExportOptions{Format: FormatWARC, Gzip: true}); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(gz.Bytes(), []byte{0x1f, 0x8b}) {
			t.Fatal("not gzip")
		}
		// One gzip member per record: as many member headers as records.
		if n := bytes.Count(gz.Bytes(), []byte{0x1f, 0x8b, 8}); n < len(wants) {
			t.Errorf("%d gzip members, want at least %d", n, len(wants))
		}
		if got := readWARC(t, gz.Bytes()); len(got) != len(wants) {
			t.Errorf("read back %d records, want %d", len(got), len(wants))
		}
	})

	filters := []struct {
		name   string
		filter Filter
		want   []string // target URIs of the responses
	}{
		{"site", Filter{Site: "other.example"}, nil},
		{"since", Filter{Since: *second.Published}, []string{second.URL}},
		// Stored on Jan 3: only the second capture of article 1.
		{"changed since", Filter{ChangedSince: time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC)}, []string{first.URL}},
	}
	for _, f := range filters {
		t.Run("filter "+f.name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := s.Export(ctx, &buf, ExportOptions{Format: FormatWARC, Filter: f.filter})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, rec := range readWARC(t, buf.Bytes()) {
				if rec.Type() == gowarc.Response {
					got = append(got, rec.WarcHeader().Get(gowarc.WarcTargetURI))
				}
			}
			if n != len(f.want) || strings.Join(got, " ") != strings.Join(f.want, " ") {
				t.Errorf("Export = %d captures, responses %v; want %v", n, got, f.want)
			}
		})
	}
}

// TestExportWARCOfImportedRecords: records stored without a page have no
// capture, and the export is a warcinfo record alone.
func TestExportWARCOfImportedRecords(t *testing.T) {
	s := newStore(t)
	mustPut(t, s, testArticle("radio.example", 1), folio.Page{})
	var buf bytes.Buffer
	n, err := s.Export(context.Background(), &buf, ExportOptions{Format: FormatWARC})
	if err != nil || n != 0 {
		t.Fatalf("Export = %d, %v; want 0 captures", n, err)
	}
	if recs := readWARC(t, buf.Bytes()); len(recs) != 1 || recs[0].Type() != gowarc.Warcinfo {
		t.Errorf("want a warcinfo record alone, got %d records", len(recs))
	}
}

// TestConcurrentWARCExports: two exports and a reader at once in one
// process (serve beside a command, parallel tests) share the uuid
// package's settings, which gowarc writes for every record builder;
// under -race this reported a data race before the archive serialized
// them.
func TestConcurrentWARCExports(t *testing.T) {
	s := newStore(t)
	for i := range 3 {
		a := testArticle("radio.example", i)
		mustPut(t, s, a, testPage(a))
	}
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, 3)
	for i := range outs {
		wg.Go(func() {
			if _, err := s.Export(context.Background(), &outs[i], ExportOptions{Format: FormatWARC}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range outs {
		if n := len(readWARC(t, outs[i].Bytes())); n != 1+3*3 {
			t.Errorf("export %d: %d records, want the warcinfo and 3 for each of 3 captures", i, n)
		}
	}
}
