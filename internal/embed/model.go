package embed

import _ "embed"

// defaultModelData is the static model trained by ./train on the ~116k real
// arXiv abstracts in /work/shared/data (see model/README.md).
//
//go:embed model/static.bin.gz
var defaultModelData []byte
