package demodata

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/viaa/ppp/storage"
)

// The institutions screen's shapes (issue 17): institutions with a phone
// and an address, changed by a reviewer with a reason (¶17.2, the
// history), and registration documents whose files are kept — a small
// PNG (a stamp, in half blocks) and a text — on the first registration
// request with an institution. Loaded once: nothing is done when the
// history holds a change already.

// demoInstitutionDetails are the phones and addresses given.
var demoInstitutionDetails = []struct{ phone, address, reason string }{
	{"+37167000101", "Skolas iela 1, Rīga, LV-1010", "Iestāde paziņoja kontaktus pa e-pastu"},
	{"26123456", "Brīvības iela 12, Cēsis, LV-4101", "Atjaunināti dati pēc zvana"},
	{"+37163400200", "Parka iela 3, Liepāja, LV-3401", "Juridiskā adrese no reģistrācijas pieteikuma"},
}

func (w *work) institutions() {
	w.at(3*day, "institution details", func(ctx context.Context) error {
		var done bool
		if err := w.db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT FROM institution_changes)`).Scan(&done); err != nil || done {
			return err
		}
		rows, err := w.db.Pool().Query(ctx, `SELECT id FROM institutions WHERE state = 'active' ORDER BY id LIMIT $1`, len(demoInstitutionDetails))
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		svc := storage.NewInstitutionService(w.wdb)
		as := w.as(ctx, OperatorReviewer)
		for n, id := range ids {
			p, err := svc.InstitutionPage(as, id)
			if err != nil {
				return err
			}
			e := p.Institution.EditOf()
			d := demoInstitutionDetails[n]
			e.Phone, e.Address = d.phone, d.address
			if _, err := svc.EditInstitution(as, id, p.Institution.Version, e, d.reason); err != nil {
				return fmt.Errorf("institution %d: %w", id, err)
			}
		}
		return w.institutionDocuments(ctx)
	})
}

// institutionDocuments keeps a small PNG and a text with the first
// registration request that made an institution.
func (w *work) institutionDocuments(ctx context.Context) error {
	var request int64
	err := w.db.Pool().QueryRow(ctx, `
		SELECT id FROM role_requests WHERE kind = 'institution' AND institution_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&request)
	if err != nil {
		return nil // no registration made an institution: no documents to show
	}
	stamp := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			c := color.NRGBA{R: 0x9e, G: 0x1b, B: 0x32, A: 255} // the flag's carmine
			if y >= 6 && y < 10 {
				c = color.NRGBA{R: 255, G: 255, B: 255, A: 255}
			}
			stamp.Set(x, y, c)
		}
	}
	var img bytes.Buffer
	if err := png.Encode(&img, stamp); err != nil {
		return err
	}
	files := []struct {
		name, media string
		content     []byte
	}{
		{"zimogs.png", "image/png", img.Bytes()},
		{"apliecinajums.txt", "text/plain", []byte("Apliecinājums\n\nIestāde apliecina, ka tās sniegtie dati ir patiesi (¶27.1.6).\n")},
	}
	for _, f := range files {
		sum := sha256.Sum256(f.content)
		var doc int64
		err := w.db.Pool().QueryRow(ctx, `
			INSERT INTO role_request_documents (request_id, position, name, media_type, size, sha256)
			SELECT $1, coalesce(max(position), 0) + 1, $2, $3, $4, $5 FROM role_request_documents WHERE request_id = $1
			RETURNING id`, request, f.name, f.media, len(f.content), hex.EncodeToString(sum[:])).Scan(&doc)
		if err != nil {
			return err
		}
		if _, err := w.db.Pool().Exec(ctx, `INSERT INTO role_request_document_contents (document_id, content) VALUES ($1, $2)`, doc, f.content); err != nil {
			return err
		}
	}
	return nil
}
