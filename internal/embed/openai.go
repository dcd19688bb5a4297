package embed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// OpenAI embeds through an OpenAI-compatible embeddings endpoint:
// POST {BaseURL}/v1/embeddings {"model": ..., "input": [...]}. Ollama,
// text-embeddings-inference, vLLM and OpenAI itself answer it.
// (The fields are ModelName and Dimensions because Model and Dim are the
// Embedder methods.)
type OpenAI struct {
	BaseURL    string        // "http://localhost:11434"; a trailing "/v1" is accepted
	ModelName  string        // e.g. "nomic-embed-text"
	APIKey     string        // sent as a Bearer token when set
	Dimensions int           // the model's vector length; 0 learns it from the first answer
	BatchSize  int           // texts per request; 0 means 64
	HTTPClient *http.Client  // nil: a client with Timeout
	Timeout    time.Duration // per request when HTTPClient is nil; 0 means 60s
	// QueryPrefix and DocumentPrefix are prepended to the texts, for models
	// trained with instructions ("search_query: ", "search_document: ").
	QueryPrefix, DocumentPrefix string

	mu     sync.Mutex
	dim    int
	client *http.Client
}

// Model names the vector space: the endpoint's model name, plus the
// prefixes, which change the vectors too.
func (o *OpenAI) Model() string {
	m := "openai:" + o.ModelName
	if o.QueryPrefix != "" || o.DocumentPrefix != "" {
		m += fmt.Sprintf("|q=%q|d=%q", o.QueryPrefix, o.DocumentPrefix)
	}
	return m
}

// Dim is the configured dimension, or the one the endpoint answered with.
func (o *OpenAI) Dim() int {
	if o.Dimensions > 0 {
		return o.Dimensions
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dim
}

// EmbedDocuments embeds the title and abstract of each paper, in batches.
func (o *OpenAI) EmbedDocuments(ctx context.Context, papers []paper.Paper) ([][]float32, error) {
	texts := make([]string, len(papers))
	for i := range papers {
		texts[i] = o.DocumentPrefix + DocumentText(&papers[i])
	}
	bs := o.BatchSize
	if bs <= 0 {
		bs = 64
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += bs {
		end := min(start+bs, len(texts))
		vecs, err := o.embed(ctx, texts[start:end])
		if err != nil {
			return nil, fmt.Errorf("embed papers %s..%s: %w", papers[start].ID, papers[end-1].ID, err)
		}
		out = append(out, vecs...)
	}
	return out, nil
}

// EmbedQuery embeds one query.
func (o *OpenAI) EmbedQuery(ctx context.Context, query string) ([]float32, error) {
	vecs, err := o.embed(ctx, []string{o.QueryPrefix + query})
	if err != nil {
		return nil, fmt.Errorf("embed query: %w", err)
	}
	return vecs[0], nil
}

type embeddingsRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

type embeddingsResponse struct {
	Data []struct {
		Embedding []float32 `json:"embedding"`
		Index     int       `json:"index"`
	} `json:"data"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

func (o *OpenAI) endpoint() string {
	base := strings.TrimRight(o.BaseURL, "/")
	base = strings.TrimSuffix(base, "/v1")
	return base + "/v1/embeddings"
}

func (o *OpenAI) httpClient() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.client == nil {
		t := o.Timeout
		if t <= 0 {
			t = 60 * time.Second
		}
		o.client = &http.Client{Timeout: t}
	}
	return o.client
}

func (o *OpenAI) embed(ctx context.Context, texts []string) ([][]float32, error) {
	if o.BaseURL == "" || o.ModelName == "" {
		return nil, errors.New("openai embedder: base URL and model are required")
	}
	body, err := json.Marshal(embeddingsRequest{Model: o.ModelName, Input: texts})
	if err != nil {
		return nil, err
	}
	url := o.endpoint()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if o.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+o.APIKey)
	}
	resp, err := o.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
	if err != nil {
		return nil, fmt.Errorf("POST %s: reading answer: %w", url, err)
	}
	if resp.StatusCode/100 != 2 {
		msg := strings.TrimSpace(string(raw))
		var er embeddingsResponse
		if json.Unmarshal(raw, &er) == nil && er.Error != nil && er.Error.Message != "" {
			msg = er.Error.Message
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		return nil, fmt.Errorf("POST %s: %s: %s", url, resp.Status, msg)
	}
	var er embeddingsResponse
	if err := json.Unmarshal(raw, &er); err != nil {
		return nil, fmt.Errorf("POST %s: bad JSON answer: %w", url, err)
	}
	if len(er.Data) != len(texts) {
		return nil, fmt.Errorf("POST %s: %d embeddings for %d inputs", url, len(er.Data), len(texts))
	}
	out := make([][]float32, len(texts))
	for _, d := range er.Data {
		if d.Index < 0 || d.Index >= len(texts) || out[d.Index] != nil {
			return nil, fmt.Errorf("POST %s: bad or repeated index %d", url, d.Index)
		}
		if len(d.Embedding) == 0 {
			return nil, fmt.Errorf("POST %s: empty embedding at index %d", url, d.Index)
		}
		out[d.Index] = Normalize(d.Embedding)
	}
	want := o.Dim()
	for i, v := range out {
		if want == 0 {
			o.mu.Lock()
			if o.dim == 0 {
				o.dim = len(v)
			}
			want = o.dim
			o.mu.Unlock()
		}
		if len(v) != want {
			return nil, fmt.Errorf("POST %s: embedding %d has %d dimensions, want %d", url, i, len(v), want)
		}
	}
	return out, nil
}
