package demodata

import "strings"

// The people and places of the demo: common Latvian first names and
// surnames (with the feminine form of each surname), the towns whose
// genitive names institutions carry, and the texts reviewers and
// applicants write.

var femaleFirstNames = []string{
	"Anna", "Līga", "Ilze", "Inese", "Kristīne", "Laura", "Elīna", "Marta",
	"Sanita", "Dace", "Ieva", "Zane", "Baiba", "Gunta", "Inga", "Evija",
	"Agnese", "Madara", "Ērika", "Žanete", "Aija", "Ilona", "Rūta", "Dzintra",
	"Santa", "Alise", "Katrīna", "Agita", "Vija", "Lelde", "Māra", "Daina",
}

var maleFirstNames = []string{
	"Jānis", "Andris", "Mārtiņš", "Pēteris", "Kārlis", "Edgars", "Māris", "Raimonds",
	"Aivars", "Juris", "Gints", "Ģirts", "Uldis", "Artūrs", "Roberts", "Kristaps",
	"Valdis", "Aigars", "Armands", "Dainis", "Ēriks", "Rihards", "Oskars", "Toms",
	"Renārs", "Indriķis", "Krišjānis", "Imants", "Normunds", "Gatis", "Aleksandrs", "Sergejs",
}

// surnames are {masculine, feminine}.
var surnames = [][2]string{
	{"Bērziņš", "Bērziņa"}, {"Kalniņš", "Kalniņa"}, {"Ozoliņš", "Ozoliņa"}, {"Jansons", "Jansone"},
	{"Ozols", "Ozola"}, {"Liepiņš", "Liepiņa"}, {"Krūmiņš", "Krūmiņa"}, {"Balodis", "Balode"},
	{"Eglītis", "Eglīte"}, {"Zariņš", "Zariņa"}, {"Pētersons", "Pētersone"}, {"Vītols", "Vītola"},
	{"Kļaviņš", "Kļaviņa"}, {"Kārkliņš", "Kārkliņa"}, {"Vanags", "Vanaga"}, {"Zālītis", "Zālīte"},
	{"Lācis", "Lāce"}, {"Celmiņš", "Celmiņa"}, {"Siliņš", "Siliņa"}, {"Žagars", "Žagare"},
	{"Šmits", "Šmite"}, {"Ķēniņš", "Ķēniņa"}, {"Grīnbergs", "Grīnberga"}, {"Riekstiņš", "Riekstiņa"},
	{"Dreimanis", "Dreimane"}, {"Lapiņš", "Lapiņa"}, {"Kalējs", "Kalēja"}, {"Bite", "Bite"},
	{"Liepa", "Liepa"}, {"Priede", "Priede"}, {"Egle", "Egle"}, {"Kalns", "Kalna"},
	{"Vilks", "Vilka"}, {"Lūsis", "Lūse"}, {"Strazds", "Strazda"}, {"Zvirbulis", "Zvirbule"},
	{"Dūmiņš", "Dūmiņa"}, {"Mednis", "Medne"}, {"Rozenbergs", "Rozenberga"}, {"Freimanis", "Freimane"},
	{"Jēkabsons", "Jēkabsone"}, {"Bērtulis", "Bērtule"}, {"Āboliņš", "Āboliņa"}, {"Ābele", "Ābele"},
	{"Sproģis", "Sproģe"}, {"Pūce", "Pūce"}, {"Krastiņš", "Krastiņa"}, {"Paegle", "Paegle"},
	{"Skujiņš", "Skujiņa"}, {"Zīle", "Zīle"}, {"Mežs", "Meža"}, {"Lejiņš", "Lejiņa"},
	{"Rubenis", "Rubene"}, {"Auziņš", "Auziņa"}, {"Briedis", "Briede"}, {"Cīrulis", "Cīrule"},
	{"Dzenis", "Dzene"}, {"Gailītis", "Gailīte"}, {"Irbe", "Irbe"}, {"Jurēvičs", "Jurēviča"},
	{"Ivanovs", "Ivanova"}, {"Petrovs", "Petrova"}, {"Kuzņecovs", "Kuzņecova"}, {"Smirnovs", "Smirnova"},
	{"Vasiļjevs", "Vasiļjeva"}, {"Putniņš", "Putniņa"}, {"Roze", "Roze"}, {"Sīlis", "Sīle"},
	{"Tīrums", "Tīruma"}, {"Upītis", "Upīte"}, {"Vējiņš", "Vējiņa"}, {"Zeltiņš", "Zeltiņa"},
	{"Graudiņš", "Graudiņa"}, {"Avotiņš", "Avotiņa"}, {"Kauliņš", "Kauliņa"}, {"Mālnieks", "Mālniece"},
	{"Ziemelis", "Ziemele"}, {"Blūms", "Blūma"}, {"Apinis", "Apine"}, {"Līcis", "Līce"},
}

// towns are the genitive names institutions are named after.
var towns = []string{
	"Rīgas", "Daugavpils", "Liepājas", "Jelgavas", "Jūrmalas", "Rēzeknes", "Ventspils",
	"Valmieras", "Jēkabpils", "Ogres", "Cēsu", "Tukuma", "Kuldīgas", "Talsu", "Saldus",
	"Bauskas", "Dobeles", "Siguldas", "Madonas", "Alūksnes", "Gulbenes", "Balvu", "Ludzas",
	"Krāslavas", "Preiļu", "Līvānu", "Limbažu", "Valkas", "Smiltenes", "Aizkraukles",
	"Salaspils", "Olaines", "Ādažu", "Ķekavas", "Mārupes",
}

// institutionPatterns name institutions: %s is the town, %d a number.
var institutionPatterns = []string{
	"%s Valsts tehnikums",
	"%s Tehnikums",
	"%s Valsts ģimnāzija",
	"%s %d. vidusskola",
	"%s %d. pamatskola",
	"%s Mūzikas vidusskola",
	"%s Mākslas skola",
	"%s Pieaugušo izglītības centrs",
	"%s Augstskola",
	"%s Profesionālās izglītības kompetences centrs",
	"%s Amatniecības vidusskola",
	"%s Valodu mācību centrs",
}

// privateCentreNames name private training centres, „%s”.
var privateCentreNames = []string{
	"Prasme", "Zinis", "Austrums", "Gaisma", "Mentors", "Dzirkstele", "Avots",
	"Ziedonis", "Kompass", "Tilts", "Pakāpiens", "Izaugsme", "Vektors", "Atslēga",
}

// municipalityWeights spread coordinators over municipalities by size:
// the codes of migration 0010 and a relative weight.
var municipalityWeights = []struct {
	code   string
	weight int
}{
	{"riga", 30}, {"daugavpils", 6}, {"liepaja", 5}, {"jelgava", 4}, {"jurmala", 3}, {"rezekne", 2}, {"ventspils", 2},
	{"adazu_novads", 1}, {"aizkraukles_novads", 2}, {"aluksnes_novads", 1}, {"augsdaugavas_novads", 2},
	{"balvu_novads", 1}, {"bauskas_novads", 2}, {"cesu_novads", 3}, {"dienvidkurzemes_novads", 2},
	{"dobeles_novads", 2}, {"gulbenes_novads", 1}, {"jekabpils_novads", 3}, {"jelgavas_novads", 2},
	{"kekavas_novads", 2}, {"kraslavas_novads", 1}, {"kuldigas_novads", 2}, {"limbazu_novads", 2},
	{"livanu_novads", 1}, {"ludzas_novads", 1}, {"madonas_novads", 2}, {"marupes_novads", 2},
	{"ogres_novads", 3}, {"olaines_novads", 1}, {"preilu_novads", 1}, {"rezeknes_novads", 2},
	{"ropazu_novads", 2}, {"salaspils_novads", 1}, {"saldus_novads", 2}, {"saulkrastu_novads", 1},
	{"siguldas_novads", 2}, {"smiltenes_novads", 1}, {"talsu_novads", 2}, {"tukuma_novads", 2},
	{"valkas_novads", 1}, {"valmieras_novads", 3}, {"varaklanu_novads", 1}, {"ventspils_novads", 1},
}

var emailDomains = []string{"gmail.com", "inbox.lv", "apollo.lv", "one.lv", "outlook.com", "tvnet.lv"}

var positions = []string{
	"direktora vietniece", "direktora vietnieks", "metodiķe", "skolotāja", "skolotājs",
	"lietvede", "karjeras konsultante", "projektu vadītājs", "IT speciālists", "izglītības metodiķis",
}

var staffDocuments = []struct{ name, mediaType string }{
	{"Darba līgums.pdf", "application/pdf"},
	{"Diploms.pdf", "application/pdf"},
	{"CV.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"Izziņa no darba vietas.edoc", "application/vnd.etsi.asic-e+zip"},
	{"Sertifikāts.jpg", "image/jpeg"},
}

var institutionDocuments = []struct{ name, mediaType string }{
	{"Reģistrācijas apliecība.pdf", "application/pdf"},
	{"Akreditācijas lapa.pdf", "application/pdf"},
	{"Licence.pdf", "application/pdf"},
	{"Pilnvara.edoc", "application/vnd.etsi.asic-e+zip"},
	{"Nolikums.odt", "application/vnd.oasis.opendocument.text"},
}

var applicantNotes = []string{
	"Strādāju par karjeras konsultantu kopš 2019. gada.",
	"Pieteikumu iesniedzu pēc direktora norādījuma.",
	"Lūdzu sazināties pa tālruni darba laikā.",
	"Esmu pašvaldības izglītības pārvaldes speciālists.",
	"Iepriekš strādāju projektā „Pieaugušo izglītība”.",
	"Papildu dokumentus varu iesniegt pēc pieprasījuma.",
}

var infoMessages = []string{
	"Lūdzu, pievienojiet darba līguma kopiju.",
	"Lūdzu, precizējiet, kurā pašvaldībā strādājat.",
	"Lūdzu, norādiet savu amatu izglītības iestādē.",
	"Pievienotais dokuments nav salasāms. Lūdzu, pievienojiet to vēlreiz.",
	"Lūdzu, iesniedziet izglītības iestādes vadītāja apliecinājumu.",
}

var infoAnswers = []string{
	"Darba līgums pievienots.",
	"Strādāju Rīgas valstspilsētas pašvaldībā.",
	"Esmu direktora vietniece izglītības jomā.",
	"Dokuments pievienots atkārtoti.",
	"Apliecinājums nosūtīts uz stars@viaa.gov.lv.",
}

var rejectTexts = []string{
	"Pieteicējs nav izglītības iestādes darbinieks.",
	"Pieteikumā norādītā pašvaldība neapstiprina pieteicēju.",
	"Nav pievienots darba līgums.",
	"Šai personai loma jau ir piešķirta.",
	"Izglītības iestāde Platformā nav reģistrēta.",
}

var takeOverReasons = []string{
	"Izglītības iestāde pieteikumu neizskata ilgāk par 10 dienām.",
	"Izglītības iestāde lūdza Aģentūru izskatīt pieteikumu.",
}

// ascii spells s with Latin letters only, as e-mail addresses do:
// "Bērziņš" → "berzins".
func ascii(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'ā':
			r = 'a'
		case 'č':
			r = 'c'
		case 'ē':
			r = 'e'
		case 'ģ':
			r = 'g'
		case 'ī':
			r = 'i'
		case 'ķ':
			r = 'k'
		case 'ļ':
			r = 'l'
		case 'ņ':
			r = 'n'
		case 'š':
			r = 's'
		case 'ū':
			r = 'u'
		case 'ž':
			r = 'z'
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
