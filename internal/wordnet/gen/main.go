// Command gen extracts the part of WordNet 3.0 that Paperboy's search uses
// (synsets with their words, hypernym and similar-to links, the first senses
// of every lemma, and the inflection exception lists) from the Princeton data
// files into the compact gzip file that package wordnet embeds.
//
//	apt-get install -y wordnet-base
//	go run ./internal/wordnet/gen -dict /usr/share/wordnet -out internal/wordnet/wordnet.txt.gz
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// maxSenses is how many senses of a lemma per part of speech are kept: the
// first ones are the frequent ones; later senses mostly add noise to search.
const maxSenses = 3

type synset struct {
	pos     byte
	words   []string
	hyper   []string // "pos:offset" keys
	similar []string
}

func main() {
	dict := flag.String("dict", "/usr/share/wordnet", "WordNet 3.0 dict directory (data.noun, index.noun, noun.exc, ...)")
	out := flag.String("out", "internal/wordnet/wordnet.txt.gz", "output file")
	flag.Parse()
	if err := run(*dict, *out); err != nil {
		log.Fatal(err)
	}
}

func run(dict, out string) error {
	files := map[byte]string{'n': "noun", 'v': "verb", 'a': "adj", 'r': "adv"}
	order := []byte{'n', 'v', 'a', 'r'}
	synsets := map[string]*synset{}
	var keys []string
	for _, pos := range order {
		err := eachLine(filepath.Join(dict, "data."+files[pos]), func(line string) error {
			if strings.HasPrefix(line, "  ") {
				return nil // licence header
			}
			key, s, err := parseData(pos, line)
			if err != nil {
				return err
			}
			synsets[key] = s
			keys = append(keys, key)
			return nil
		})
		if err != nil {
			return err
		}
	}
	index := make(map[string]int, len(keys))
	for i, k := range keys {
		index[k] = i
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	fmt.Fprintln(w, "# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. See LICENSE-WORDNET.")
	fmt.Fprintln(w, "# S pos words hypernyms similar | L lemma pos:synsets... | E pos inflected base")
	ids := func(ks []string) string {
		var b []string
		for _, k := range ks {
			if i, ok := index[k]; ok {
				b = append(b, strconv.Itoa(i))
			}
		}
		return strings.Join(b, ",")
	}
	for _, k := range keys {
		s := synsets[k]
		fmt.Fprintf(w, "S\t%c\t%s\t%s\t%s\n", s.pos, strings.Join(s.words, " "), ids(s.hyper), ids(s.similar))
	}
	lemmas := map[string][]string{}
	for _, pos := range order {
		err := eachLine(filepath.Join(dict, "index."+files[pos]), func(line string) error {
			if strings.HasPrefix(line, "  ") {
				return nil
			}
			lemma, offs, err := parseIndex(line)
			if err != nil {
				return err
			}
			if len(offs) > maxSenses {
				offs = offs[:maxSenses]
			}
			var ks []string
			for _, o := range offs {
				ks = append(ks, string(pos)+":"+o)
			}
			lemmas[lemma] = append(lemmas[lemma], string(pos)+":"+ids(ks))
			return nil
		})
		if err != nil {
			return err
		}
	}
	names := make([]string, 0, len(lemmas))
	for l := range lemmas {
		names = append(names, l)
	}
	sort.Strings(names)
	for _, l := range names {
		fmt.Fprintf(w, "L\t%s\t%s\n", l, strings.Join(lemmas[l], " "))
	}
	for _, pos := range order {
		err := eachLine(filepath.Join(dict, files[pos]+".exc"), func(line string) error {
			f := strings.Fields(line)
			if len(f) < 2 {
				return fmt.Errorf("bad exception line %q", line)
			}
			fmt.Fprintf(w, "E\t%c\t%s\t%s\n", pos, f[0], f[1])
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("%d synsets, %d lemmas -> %s", len(keys), len(names), out)
	return f.Close()
}

func eachLine(path string, fn func(string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		if err := fn(sc.Text()); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	return sc.Err()
}

// parseData reads one synset line of a data.* file:
// offset lex_filenum ss_type w_cnt(hex) [word lex_id]... p_cnt [ptr offset pos src/tgt]... | gloss
func parseData(pos byte, line string) (string, *synset, error) {
	if i := strings.Index(line, " | "); i >= 0 {
		line = line[:i]
	}
	f := strings.Fields(line)
	if len(f) < 4 {
		return "", nil, fmt.Errorf("short synset line")
	}
	wc, err := strconv.ParseInt(f[3], 16, 32)
	if err != nil {
		return "", nil, fmt.Errorf("word count %q: %w", f[3], err)
	}
	s := &synset{pos: pos}
	i := 4
	for range wc {
		w := strings.ToLower(f[i])
		if j := strings.IndexByte(w, '('); j > 0 { // adjective markers: "galore(ip)"
			w = w[:j]
		}
		s.words = append(s.words, w)
		i += 2
	}
	pc, err := strconv.Atoi(f[i])
	if err != nil {
		return "", nil, fmt.Errorf("pointer count %q: %w", f[i], err)
	}
	i++
	for range pc {
		sym, off, p := f[i], f[i+1], f[i+2]
		if p == "s" {
			p = "a" // satellites live in data.adj
		}
		switch sym {
		case "@", "@i":
			s.hyper = append(s.hyper, p+":"+off)
		case "&":
			s.similar = append(s.similar, p+":"+off)
		}
		i += 4
	}
	return string(pos) + ":" + f[0], s, nil
}

// parseIndex reads one line of an index.* file:
// lemma pos synset_cnt p_cnt [ptr_symbol]... sense_cnt tagsense_cnt offset...
func parseIndex(line string) (string, []string, error) {
	f := strings.Fields(line)
	if len(f) < 6 {
		return "", nil, fmt.Errorf("short index line")
	}
	sc, err := strconv.Atoi(f[2])
	if err != nil {
		return "", nil, err
	}
	pc, err := strconv.Atoi(f[3])
	if err != nil {
		return "", nil, err
	}
	offs := f[4+pc+2:]
	if len(offs) != sc {
		return "", nil, fmt.Errorf("lemma %s: %d offsets, want %d", f[0], len(offs), sc)
	}
	return f[0], offs, nil
}
