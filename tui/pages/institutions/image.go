package institutions

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// The bounds of an image decoded to be shown. A file of a few hundred
// kilobytes can declare 50,000×50,000 pixels (a decompression bomb):
// decoding it would allocate gigabytes. The header's dimensions are read
// first (image.DecodeConfig reads no pixels) and the file is decoded only
// when both they and its size are within bounds, so that one look
// allocates at most about imageMaxPixels×4 bytes (4 MB).
const (
	imageMaxBytes  = 2 << 20
	imageMaxPixels = 1 << 20
	imageMaxSide   = 4096
)

// errImageBounds says an image is refused before it is decoded.
type errImageBounds struct {
	w, h  int
	bytes int
}

func (e errImageBounds) Error() string {
	return fmt.Sprintf("image of %d×%d pixels, %d bytes: beyond what is decoded", e.w, e.h, e.bytes)
}

// imageFormats are the formats shown, by media type: decoded by the
// standard library's decoders only (no format registered elsewhere).
var imageFormats = map[string]struct {
	config func([]byte) (image.Config, error)
	decode func([]byte) (image.Image, error)
}{
	"image/png": {
		func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) },
	},
	"image/jpeg": {
		func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) },
	},
	"image/gif": {
		func(b []byte) (image.Config, error) { return gif.DecodeConfig(bytes.NewReader(b)) },
		func(b []byte) (image.Image, error) { return gif.Decode(bytes.NewReader(b)) },
	},
}

// isImage reports whether media type t is an image the screen draws.
func isImage(t string) bool {
	_, ok := imageFormats[strings.ToLower(strings.TrimSpace(t))]
	return ok
}

// decodeBounded decodes data of media type t after checking its size and
// its declared dimensions; it returns errImageBounds without decoding
// when either is too large.
func decodeBounded(t string, data []byte) (image.Image, error) {
	f, ok := imageFormats[strings.ToLower(strings.TrimSpace(t))]
	if !ok {
		return nil, fmt.Errorf("not an image the screen draws: %q", t)
	}
	if len(data) > imageMaxBytes {
		return nil, errImageBounds{bytes: len(data)}
	}
	cfg, err := f.config(data)
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > imageMaxSide || cfg.Height > imageMaxSide ||
		cfg.Width*cfg.Height > imageMaxPixels {
		return nil, errImageBounds{w: cfg.Width, h: cfg.Height, bytes: len(data)}
	}
	return f.decode(data)
}

// halfBlocks draws img in at most w cells by h lines, scaled to fit with
// its proportions kept (a cell is about twice as high as wide, so each
// holds two pixels one above the other): "▀" with the upper pixel as its
// foreground and the lower as its background, in the colours r's profile
// can show.
func halfBlocks(r *lipgloss.Renderer, img image.Image, w, h int) []string {
	b := img.Bounds()
	iw, ih := b.Dx(), b.Dy()
	if iw == 0 || ih == 0 || w <= 0 || h <= 0 {
		return nil
	}
	cols, rows := iw, (ih+1)/2
	if cols > w || rows > h {
		scale := min(float64(w)/float64(iw), float64(2*h)/float64(ih))
		cols, rows = max(int(float64(iw)*scale), 1), max(int(float64(ih)*scale+1)/2, 1)
	}
	at := func(x, y int) string {
		px := b.Min.X + min(x*iw/cols, iw-1)
		py := b.Min.Y + min(y*ih/(2*rows), ih-1)
		cr, cg, cb, _ := img.At(px, py).RGBA()
		return fmt.Sprintf("#%02x%02x%02x", cr>>8, cg>>8, cb>>8)
	}
	out := make([]string, 0, rows)
	for y := range rows {
		var line strings.Builder
		for x := range cols {
			line.WriteString(r.NewStyle().Foreground(lipgloss.Color(at(x, 2*y))).Background(lipgloss.Color(at(x, 2*y+1))).Render("▀"))
		}
		out = append(out, line.String())
	}
	return out
}
