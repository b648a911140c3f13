package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The files of a run in perf/results, as scripts/bench.sh writes them.
const (
	MicroFile     = "micro.txt"     // go test -bench output
	ChainFile     = "chain.json"    // chainbench's report
	BenchstatFile = "benchstat.txt" // benchstat -col /mode on the RPC benchmarks
	ProfileDir    = "profiles"      // NAME.prof for each of Profiles
)

// Files maps a path relative to docs/ to its generated content.
type Files map[string][]byte

// Generate reads a run's results and returns docs/performance.md, its charts, and the pages under
// docs that quote figures of the run (see quotes.go).
func Generate(results, docs string) (Files, error) {
	in, err := Load(results)
	if err != nil {
		return nil, err
	}
	d, err := Build(in)
	if err != nil {
		return nil, err
	}
	page, err := d.Render()
	if err != nil {
		return nil, err
	}
	files, err := d.Quotes(docs)
	if err != nil {
		return nil, err
	}
	files["performance.md"] = page
	for name, svg := range d.Charts {
		files[filepath.Join("perf", name)] = []byte(svg)
	}
	return files, nil
}

// Load reads a run's results.
func Load(results string) (Inputs, error) {
	var in Inputs
	micro, err := os.Open(filepath.Join(results, MicroFile))
	if err != nil {
		return in, err
	}
	defer micro.Close()
	if in.Micro, err = ParseBench(micro); err != nil {
		return in, err
	}
	chain, err := os.ReadFile(filepath.Join(results, ChainFile))
	if err != nil {
		return in, err
	}
	if err := json.Unmarshal(chain, &in.Chain); err != nil {
		return in, fmt.Errorf("%s: %w", ChainFile, err)
	}
	stat, err := os.ReadFile(filepath.Join(results, BenchstatFile))
	if err != nil {
		return in, err
	}
	in.Benchstat = string(stat)
	in.Profiles = map[string]Profile{}
	for _, p := range Profiles {
		f, err := os.Open(filepath.Join(results, ProfileDir, p.Name+".prof"))
		if err != nil {
			return in, err
		}
		in.Profiles[p.Name], err = ReadProfile(f, p.SampleType)
		f.Close()
		if err != nil {
			return in, fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	return in, nil
}

// Write writes the files under docs.
func Write(docs string, files Files) error {
	for name, data := range files {
		path := filepath.Join(docs, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Check fails, naming each file, if writing files under docs would change anything.
func Check(docs string, files Files) error {
	var errs []error
	for name, data := range files {
		have, err := os.ReadFile(filepath.Join(docs, name))
		if err != nil || !bytes.Equal(have, data) {
			errs = append(errs, fmt.Errorf("%s is not what perfdoc makes of perf/results: run `go run ./perf/cmd/perfdoc`", filepath.Join(docs, name)))
		}
	}
	return errors.Join(errs...)
}
