package storage

// SetAuditTextRecent makes s's free-text searches read only the n newest
// entries one by one before they ask the trigram index, so that a test
// with a few entries goes both ways.
func SetAuditTextRecent(s *AuditService, n int64) { s.textRecent = n }

// SetAuditVerifySplit makes s's verifications read in parts from n
// entries on, so that a test with a few entries checks how parts join.
func SetAuditVerifySplit(s *AuditService, n int64) { s.verifySplit = n }
