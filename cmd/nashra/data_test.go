package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nashra/subscribers"
	"nashra/subscribers/redistest"
)

// nashra export from one Redis prefix, nashra import into another: the
// same readers, and bad lines named by number.
func TestExportImportCommands(t *testing.T) {
	ctx := context.Background()
	src, dst := redistest.New(t), redistest.New(t)
	envOf := func(r *redistest.Redis) map[string]string {
		return map[string]string{"NASHRA_REDIS_URL": r.URL, "NASHRA_REDIS_PREFIX": r.Prefix}
	}
	in := strings.Join([]string{
		`{"chat_id": 123, "status": "active", "lang": "ar", "follows": ["sdf", "اقتصاد"], "schedule": "0 8 * * *", "source": "site-footer", "joined_at": "2026-11-28T08:00:00Z", "cursor": 42}`, // economy
		`{"chat_id": 124, "status": "paused", "follows": ["قسد"]}`, // SDF, by its Arabic name: not a slug, so a keyword
		`{"chat_id": 125, "status": "gone"}`,
	}, "\n")
	file := filepath.Join(t.TempDir(), "readers.jsonl")
	if err := os.WriteFile(file, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, err := runCmd(t, envOf(src), "", "import", file)
	if err == nil || !strings.Contains(errs, file+": line 3: status \"gone\"") || !strings.Contains(errs, "imported 2 readers from 3 lines; 1 lines rejected") {
		t.Fatalf("import with a bad line: err %v, stderr:\n%s", err, errs)
	}
	from := subscribers.New(src.Client, subscribers.Options{Prefix: src.Prefix})
	r, err := from.Get(ctx, 123)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Follows) != 2 || r.Follows[0].Key != "t:sdf" || r.Follows[1].Key != "k:اقتصاد" || r.Cursor != 42 {
		t.Errorf("reader 123 = %+v", r)
	}

	backup, errs, err := runCmd(t, envOf(src), "", "export")
	if err != nil || !strings.Contains(errs, "exported 2 readers") {
		t.Fatalf("export: %v\n%s", err, errs)
	}
	if _, errs, err := runCmd(t, envOf(dst), backup, "import"); err != nil {
		t.Fatalf("import from stdin: %v\n%s", err, errs)
	}
	again, _, err := runCmd(t, envOf(dst), "", "export")
	if err != nil || again != backup {
		t.Errorf("export after import = %q, %v; want the backup %q", again, err, backup)
	}
	if lines := strings.Count(backup, "\n"); lines != 2 {
		t.Errorf("backup has %d lines; want 2:\n%s", lines, backup)
	}
}
