package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed templates static
var embedded embed.FS

// asset is one static file with the hash that versions its URL.
type asset struct {
	name  string // "style.css"
	hash  string // first 10 hex digits of its SHA-256
	data  []byte
	ctype string
}

// URL is the asset's content-hashed path: "/static/style.1a2b3c4d5e.css".
// A new build with changed content gets a new URL, so browsers may cache
// each URL forever.
func (a *asset) URL() string {
	ext := path.Ext(a.name)
	return "/static/" + strings.TrimSuffix(a.name, ext) + "." + a.hash + ext
}

type assets struct {
	byName map[string]*asset
}

func loadAssets(files fs.FS) (*assets, error) {
	as := &assets{byName: map[string]*asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(p, "static/")
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = http.DetectContentType(data)
		}
		as.byName[name] = &asset{name: name, hash: hex.EncodeToString(sum[:5]), data: data, ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return as, nil
}

// url is the hashed URL of a named asset; templates call it as {{asset "style.css"}}.
func (as *assets) url(name string) (string, error) {
	a, ok := as.byName[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return a.URL(), nil
}

// lookup finds the asset a request path names, with or without its hash.
// immutable is true when the hash matches the current content.
func (as *assets) lookup(p string) (a *asset, immutable bool) {
	if a, ok := as.byName[p]; ok {
		return a, false
	}
	dir, file := path.Split(p)
	ext := path.Ext(file)
	stem := strings.TrimSuffix(file, ext)
	i := strings.LastIndexByte(stem, '.')
	if i < 0 {
		return nil, false
	}
	a, ok := as.byName[dir+stem[:i]+ext]
	if !ok {
		return nil, false
	}
	// An old hash (a page cached across a deploy) still gets the current
	// file, but must not be cached as if it were that version.
	return a, stem[i+1:] == a.hash
}

// handleStatic serves embedded assets. Hashed URLs are cached for a year;
// anything else is revalidated with the ETag.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	a, immutable := s.assets.lookup(r.PathValue("path"))
	if a == nil {
		return notFound("There is no such file.")
	}
	s.serveAsset(w, r, a, immutable)
	return nil
}

func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, a *asset, immutable bool) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", `"`+a.hash+`"`)
	if immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600, must-revalidate")
	}
	// ServeContent answers If-None-Match with 304 and handles Range.
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.data))
}

// handleFavicon serves /favicon.ico, which browsers ask for by that name.
func (s *Server) handleFavicon(w http.ResponseWriter, r *http.Request) error {
	a, _ := s.assets.lookup("favicon.ico")
	if a == nil {
		return notFound("There is no favicon.")
	}
	s.serveAsset(w, r, a, false)
	return nil
}
