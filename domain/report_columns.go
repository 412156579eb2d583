package domain

// ReportColumnsOf returns the columns of report name's table, in order:
// what storage fills in and every double of ReportService must too, what
// the CSV header and the JSON fields are named after. Nil for a name not
// in ReportNames.
func ReportColumnsOf(name string) []ReportColumn {
	col := func(name string, kind ColumnKind) ReportColumn {
		return ReportColumn{Name: name, Key: "report.col." + name, Kind: kind}
	}
	switch name {
	case ReportIMKUptake:
		return []ReportColumn{col("dimension", ColumnText), col("group", ColumnText),
			col("applications", ColumnCount), col("approved", ColumnCount),
			col("rejected_automatic", ColumnCount), col("rejected_manual", ColumnCount),
			col("applications_share", ColumnPercent), col("population_share", ColumnPercent)}
	case ReportCompliance:
		return []ReportColumn{col("section", ColumnText), col("item", ColumnText),
			col("count", ColumnCount), col("of", ColumnCount), col("share", ColumnPercent)}
	case ReportQueues:
		return []ReportColumn{col("queue", ColumnText), col("week", ColumnText),
			col("in", ColumnCount), col("out", ColumnCount),
			col("wait_p50", ColumnDuration), col("wait_p90", ColumnDuration),
			col("within_target", ColumnPercent), col("take_overs", ColumnCount), col("info_requests", ColumnCount)}
	case ReportDecisions:
		return []ReportColumn{col("section", ColumnText), col("group", ColumnText), col("outcome", ColumnText),
			col("count", ColumnCount), col("first_reply_p50", ColumnDuration), col("first_reply_p90", ColumnDuration)}
	}
	return nil
}
