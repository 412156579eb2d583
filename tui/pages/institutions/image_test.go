package institutions

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/muesli/termenv"
	"github.com/viaa/ppp/tui/theme"
)

// bombPNG is a PNG header declaring w×h pixels, followed by nothing a
// decoder could fill them from: what a decompression bomb starts with.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8 bits, RGBA
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

// A 50000×50000 PNG would need 10 GB once decoded: it is refused from
// its header, and the refusal allocates less than a megabyte.
func TestDecodeBounded_RefusesADecompressionBombBeforeDecoding(t *testing.T) {
	bomb := bombPNG(50000, 50000)
	if _, err := png.DecodeConfig(bytes.NewReader(bomb)); err != nil {
		t.Fatalf("the crafted header does not read as a PNG: %v", err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	img, err := decodeBounded("image/png", bomb)
	runtime.ReadMemStats(&after)
	if _, ok := err.(errImageBounds); !ok || img != nil {
		t.Fatalf("the bomb: %v, %v; want errImageBounds", img, err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", grew)
	}
	if _, err := decodeBounded("image/png", bytes.Repeat([]byte{0}, imageMaxBytes+1)); err == nil {
		t.Error("a file beyond imageMaxBytes was decoded")
	}
	if _, err := decodeBounded("image/png", bombPNG(imageMaxSide+1, 1)); err == nil {
		t.Error("a side beyond imageMaxSide was decoded")
	}
}

// tinyPNG is a 4×4 PNG: red on top, blue below.
func tinyPNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for y := range 4 {
		for x := range 4 {
			c := color.NRGBA{R: 255, A: 255}
			if y >= 2 {
				c = color.NRGBA{B: 255, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHalfBlocks_TinyPNG_UpperAndLowerColours(t *testing.T) {
	img, err := decodeBounded("image/png", tinyPNG(t))
	if err != nil {
		t.Fatal(err)
	}
	r := theme.NewRenderer(io.Discard, termenv.TrueColor)
	lines := halfBlocks(r, img, 80, 20)
	if len(lines) != 2 {
		t.Fatalf("%d lines for 4 pixel rows, want 2", len(lines))
	}
	// Red over red, then blue over blue, as 24-bit colours.
	if !strings.Contains(lines[0], "38;2;255;0;0") || !strings.Contains(lines[0], "48;2;255;0;0") || !strings.Contains(lines[0], "▀") {
		t.Errorf("the first line: %q", lines[0])
	}
	if !strings.Contains(lines[1], "38;2;0;0;255") {
		t.Errorf("the second line: %q", lines[1])
	}
	// Scaled to the room given.
	if got := halfBlocks(r, img, 2, 1); len(got) != 1 || strings.Count(got[0], "▀") != 2 {
		t.Errorf("scaled to 2×1: %q", got)
	}
}
