package app

import (
	"net/http"
	"sync"

	"github.com/outpost-studio/outpost/backend/campaign"
)

// renditions makes the pictures an email preview shows, keeping the most
// recent ones in memory: typing re-renders the email, not its pictures.
type renditions struct {
	a     *App
	mu    sync.Mutex
	m     map[string]rendition
	order []string // oldest first
	bytes int
}

type rendition struct {
	b    []byte
	mime string
}

// renditionMemory bounds what the preview keeps in memory.
const renditionMemory = 64 << 20

func (r *renditions) picture(pic campaign.Picture) ([]byte, string, error) {
	key := pic.Key()
	r.mu.Lock()
	if x, ok := r.m[key]; ok {
		r.mu.Unlock()
		return x.b, x.mime, nil
	}
	r.mu.Unlock()
	b, mime, err := r.make(pic)
	if err != nil {
		return nil, "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]rendition{}
	}
	if _, ok := r.m[key]; !ok {
		r.m[key] = rendition{b, mime}
		r.order = append(r.order, key)
		r.bytes += len(b)
		for r.bytes > renditionMemory && len(r.order) > 1 {
			old := r.order[0]
			r.order = r.order[1:]
			r.bytes -= len(r.m[old].b)
			delete(r.m, old)
		}
	}
	return b, mime, nil
}

func (r *renditions) make(pic campaign.Picture) ([]byte, string, error) {
	r.a.mu.Lock()
	store := r.a.store
	r.a.mu.Unlock()
	if store == nil {
		return nil, "", errNoStore()
	}
	if pic.Vector {
		b, err := store.Blob(pic.SHA256)
		return b, "image/svg+xml", err
	}
	side := max(pic.Width, pic.Height)
	if side == 0 {
		side = 1200
	}
	b, err := store.Thumbnail(pic.SHA256, side)
	return b, http.DetectContentType(b), err
}
