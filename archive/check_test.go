package archive

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestCheckFindsDamage: Check passes a sound archive and, once a page of
// the file holds garbage, fails with ErrDamaged; IsDamaged also knows the
// driver's error for it.
func TestCheckFindsDamage(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	for i := range 100 {
		a := testArticle("radio.example", i)
		mustPut(t, s, a, testPage(a))
	}
	if err := s.Check(ctx, true); err != nil {
		t.Fatalf("Check of a sound archive: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7 + 13)
	}
	if _, err := f.WriteAt(garbage, 3*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()

	ro, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	for _, full := range []bool{false, true} {
		err := ro.Check(ctx, full)
		if !IsDamaged(err) {
			t.Errorf("Check(full %v) of a damaged archive: %v, want a damaged error", full, err)
		}
	}
	if IsDamaged(errors.New("database disk image is malformed")) || IsDamaged(nil) {
		t.Error("IsDamaged matches a message rather than SQLite's code")
	}
}
