package storage

import (
	"context"
	"strconv"

	"github.com/viaa/ppp/domain"
)

var _ domain.RoleRequestDocuments = (*RoleRequestService)(nil)

// OpenRoleRequestDocument returns document position (1-based) of request
// requestID with its file, for a reviewer to open; the look is audited
// ("rolerequest.document_open"). A document sent without its file (the
// demo's, or one the portal kept) has a nil Content. It returns ENOTFOUND
// "rolerequest.document_not_found", and the reviewer role's refusals.
func (s *RoleRequestService) OpenRoleRequestDocument(ctx context.Context, requestID int64, position int) (*domain.Document, error) {
	d := &domain.Document{}
	err := s.db.inTx(ctx, "open request document", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, roleRequestGuard, domain.RoleReviewer); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			SELECT d.name, d.media_type, d.size, d.sha256, c.content
			  FROM role_request_documents d
			  LEFT JOIN role_request_document_contents c ON c.document_id = d.id
			 WHERE d.request_id = $1 AND d.position = $2`, requestID, position).Scan(&d.Name, &d.MediaType, &d.Size, &d.SHA256, &d.Content)
		if isNoRows(err) {
			return domain.Errorf(domain.ENOTFOUND, "rolerequest.document_not_found", "role request #%d has no document %d", requestID, position)
		}
		if err != nil {
			return dbError("open request document", err)
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestDocument, SubjectKind: "role_request", SubjectID: strconv.FormatInt(requestID, 10),
			Details: "document=" + strconv.Itoa(position),
		})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
