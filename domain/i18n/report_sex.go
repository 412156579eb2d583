package i18n

// The IMK take-up report by sex (issue 18, ¶26.4): the dimension, its
// groups and its chart. Sex comes from the Population Register extract
// (`ppp registers import population`, column sex).
func init() {
	register(map[string][2]string{
		"report.dim.sex":          {"Dzimums", "Sex"},
		"report.sex.f":            {"sievietes", "women"},
		"report.sex.m":            {"vīrieši", "men"},
		"report.series.share_sex": {"Pieteikumi pēc dzimuma, %", "Applications by sex, %"},
	})
}
