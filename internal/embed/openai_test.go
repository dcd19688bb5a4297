package embed

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// hashVector is the test peer's deterministic "model": a vector from the text's hash.
func hashVector(text string, dim int) []float32 {
	v := make([]float32, dim)
	for i := range v {
		h := fnv.New32a()
		fmt.Fprintf(h, "%d|%s", i, text)
		v[i] = float32(h.Sum32()%2000)/1000 - 1
	}
	return v
}

// embeddingsServer answers POST /v1/embeddings in OpenAI's format, listing
// the data in reverse order (the client must use "index").
func embeddingsServer(t *testing.T, dim int, calls *atomic.Int32, lastAuth *atomic.Value) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		calls.Add(1)
		if lastAuth != nil {
			lastAuth.Store(r.Header.Get("Authorization"))
		}
		var req struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":{"message":"bad request","type":"invalid_request_error"}}`)
			return
		}
		type item struct {
			Object    string    `json:"object"`
			Embedding []float32 `json:"embedding"`
			Index     int       `json:"index"`
		}
		var data []item
		for i := len(req.Input) - 1; i >= 0; i-- {
			data = append(data, item{"embedding", hashVector(req.Input[i], dim), i})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"object": "list", "data": data, "model": req.Model,
			"usage": map[string]int{"prompt_tokens": 10, "total_tokens": 10},
		})
	}))
}

func testPapers(n int) []paper.Paper {
	ps := make([]paper.Paper, n)
	for i := range ps {
		ps[i] = paper.Paper{ID: fmt.Sprintf("2401.%05d", i), Title: fmt.Sprintf("Paper number %d", i), Abstract: "About things."}
	}
	return ps
}

func TestOpenAIEmbeds(t *testing.T) {
	var calls atomic.Int32
	var auth atomic.Value
	srv := embeddingsServer(t, 8, &calls, &auth)
	defer srv.Close()
	for _, base := range []string{srv.URL, srv.URL + "/", srv.URL + "/v1"} {
		t.Run(base, func(t *testing.T) {
			calls.Store(0)
			o := &OpenAI{BaseURL: base, ModelName: "nomic-embed-text", APIKey: "sekret", BatchSize: 2}
			var _ Embedder = o
			ps := testPapers(5)
			vecs, err := o.EmbedDocuments(context.Background(), ps)
			if err != nil {
				t.Fatal(err)
			}
			if got := calls.Load(); got != 3 {
				t.Errorf("%d requests for 5 papers in batches of 2, want 3", got)
			}
			if auth.Load() != "Bearer sekret" {
				t.Errorf("Authorization %q", auth.Load())
			}
			if o.Dim() != 8 || o.Model() != "openai:nomic-embed-text" {
				t.Errorf("Dim %d Model %q", o.Dim(), o.Model())
			}
			for i, v := range vecs {
				want := Normalize(hashVector(DocumentText(&ps[i]), 8))
				for k := range v {
					if v[k] != want[k] {
						t.Fatalf("paper %d: vector %v, want %v (order by index)", i, v, want)
					}
				}
			}
			q, err := o.EmbedQuery(context.Background(), "graph neural networks")
			if err != nil {
				t.Fatal(err)
			}
			if w := Normalize(hashVector("graph neural networks", 8)); q[0] != w[0] || q[7] != w[7] {
				t.Errorf("query vector %v, want %v", q, w)
			}
		})
	}
}

func TestOpenAIPrefixesChangeModel(t *testing.T) {
	a := &OpenAI{ModelName: "m"}
	b := &OpenAI{ModelName: "m", QueryPrefix: "search_query: "}
	if a.Model() == b.Model() {
		t.Error("prefixes do not change the model name")
	}
}

func TestOpenAIErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		o       *OpenAI
		want    string
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "model is loading", http.StatusServiceUnavailable)
		}, &OpenAI{}, "503 Service Unavailable: model is loading"},
		{"openai error body", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}`)
		}, &OpenAI{}, "401 Unauthorized: Incorrect API key provided"},
		{"not json", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<html>proxy login</html>")
		}, &OpenAI{}, "bad JSON answer"},
		{"too few embeddings", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"data":[{"embedding":[1,0],"index":0}]}`)
		}, &OpenAI{}, "1 embeddings for 2 inputs"},
		{"repeated index", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"data":[{"embedding":[1,0],"index":0},{"embedding":[0,1],"index":0}]}`)
		}, &OpenAI{}, "bad or repeated index 0"},
		{"wrong dimension", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `{"data":[{"embedding":[1,0,0],"index":0},{"embedding":[0,1,0],"index":1}]}`)
		}, &OpenAI{Dimensions: 2}, "3 dimensions, want 2"},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}, &OpenAI{Timeout: 50 * time.Millisecond}, "Client.Timeout exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			o := tt.o
			o.BaseURL, o.ModelName = srv.URL, "m"
			_, err := o.EmbedDocuments(context.Background(), testPapers(2))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "/v1/embeddings") {
				t.Errorf("error %v does not name the endpoint", err)
			}
		})
	}
}

func TestOpenAIUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	o := &OpenAI{BaseURL: url, ModelName: "m"}
	if _, err := o.EmbedQuery(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("error %v, want connection refused", err)
	}
	if _, err := (&OpenAI{}).EmbedQuery(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), "required") {
		t.Fatalf("unconfigured: %v", err)
	}
}
