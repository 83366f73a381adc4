package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigErrorsAreUsageErrors: a config that does not load (config.Load)
// is a usage error, exit status 2, naming the file.
func TestConfigErrorsAreUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("sitez: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{bad, filepath.Join(dir, "nope.yaml")} {
		_, err := loadConfig(&globalOpts{configFile: file})
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), filepath.Base(file)) {
			t.Errorf("config %s: err = %v (exit %d), want a usage error naming it", file, err, exitCode(err))
		}
	}
}
