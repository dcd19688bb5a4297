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
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// OpenAI embeds through an OpenAI-compatible embeddings endpoint:
// POST {BaseURL}/v1/embeddings {"model": ..., "input": [...]}. Ollama,
// text-embeddings-inference, vLLM and OpenAI itself answer it.
type OpenAI struct {
	BaseURL    string // "http://localhost:11434"; a trailing "/v1" is accepted
	Model      string // e.g. "nomic-embed-text"
	APIKey     string // sent as a Bearer token when set
	Dimensions int    // the model's vector length; 0 learns it from the first answer
	BatchSize  int    // texts per request; 0 means 64
	HTTPClient *http.Client
	// QueryPrefix and DocumentPrefix are prepended to the texts, for models
	// trained with instructions ("search_query: ", "search_document: ").
	QueryPrefix, DocumentPrefix string
}

// Model names the vector space: the endpoint's model name.
func (o *OpenAI) Model() string { return "openai:" + o.Model_() }

// Model_ is the bare model name (Model is taken by the interface).
func (o *OpenAI) Model_() string { return o.modelName() }

func (o *OpenAI) modelName() string { return o.modelField() }

func (o *OpenAI) modelField() string { return o.ModelName() }

// ModelName returns the configured model.
func (o *OpenAI) ModelName() string { return o.model() }

func (o *OpenAI) model() string { return o.Model_name() }
