package domain_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/domain/mailtmpl"
)

// constantFiles define the topics and the audit actions; everywhere else
// names them through these constants.
var constantFiles = []string{"domain/topic.go", "domain/audit_action.go"}

// TestConstants_NoBareActionOrTopicStrings walks every Go file of the
// program and its tests and fails on an audit action or a change-feed
// topic written as a string instead of the constant of domain/topic.go
// or domain/audit_action.go: such strings drift apart (a fake once
// audited "auth.signin" where storage writes "auth.sign_in"). It looks
// where they go — an AuditEntry's Action, a Change's Topic, the topic of
// Notify, Subscribe's topics, comparisons and switches on .Topic and
// .Action, variables named action or topic — and, anywhere, for a string
// equal to an action that is not also a catalog key or a mail template,
// or an action quoted in SQL.
func TestConstants_NoBareActionOrTopicStrings(t *testing.T) {
	root := filepath.Join("..")
	actions := constantValues(t, filepath.Join(root, "domain", "audit_action.go"))
	topics := constantValues(t, filepath.Join(root, "domain", "topic.go"))
	if len(actions) < 60 {
		t.Fatalf("found %d audit actions in domain/audit_action.go; the scan is not reading it", len(actions))
	}
	// A string equal to an action may also be a catalog key or a mail
	// template ("imk.approved" is both an action and a mail); those are
	// checked only where they go.
	ambiguous := map[string]bool{}
	for _, k := range i18n.For(i18n.LV).Keys() {
		ambiguous[k] = true
	}
	for _, n := range mailtmpl.Names() {
		ambiguous[n] = true
	}
	var sqlAction *regexp.Regexp
	{
		var quoted []string
		for a := range actions {
			quoted = append(quoted, regexp.QuoteMeta("'"+a+"'"))
		}
		sqlAction = regexp.MustCompile(strings.Join(quoted, "|"))
	}

	files := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "var" || d.Name() == "bin") {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(p, ".go") || slices.Contains(constantFiles, rel) || rel == "domain/constants_test.go" {
			return nil
		}
		files++
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, bad := range bareStrings(f, strings.HasSuffix(p, "_test.go"), actions, topics, ambiguous, sqlAction) {
			t.Errorf("%s: %s", fset.Position(bad.pos), bad.why)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 300 {
		t.Fatalf("read only %d Go files; the walk is not reading the program", files)
	}
}

// TestConstants_TheScanFindsEveryKindOfBareString proves the scan itself:
// each line below is a way a bare action or topic has been written, and
// each must be found.
func TestConstants_TheScanFindsEveryKindOfBareString(t *testing.T) {
	src := `package x
func f() {
	_ = &domain.AuditEntry{Action: "auth.signin"}
	_ = domain.AuditEntry{Action: "imk." + state}
	_ = domain.Change{Topic: "role_request", ID: "1"}
	_ = Notify(ctx, tx, "ticket", id)
	_, _ = feed.Subscribe("operator", domain.TopicDB)
	if c.Topic == "db" {}
	switch msg.Topic { case "imk": }
	if c.ID == "up" {}
	action := "denial.raise"
	const topic = "denial"
	var topics = map[string]bool{"terms": true}
	_ = e.audits(t, "rolerequest.claim", id)
	_ = "SELECT count(*) FROM audit_log WHERE action = 'auth.failure'"
	if r.Action != "terms.publish" {}
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{"rolerequest.claim": true, "auth.failure": true, "terms.publish": true, "denial.raise": true}
	sql := regexp.MustCompile(`'auth\.failure'`)
	topics := map[string]bool{"ticket": true, "db": true}
	got := bareStrings(f, false, actions, topics, map[string]bool{}, sql)
	lines := map[int]bool{}
	for _, b := range got {
		lines[fset.Position(b.pos).Line] = true
	}
	for line := 3; line <= 16; line++ {
		if !lines[line] {
			t.Errorf("line %d not found: %s", line, strings.Split(src, "\n")[line-1])
		}
	}
	clean := `package x
func f() {
	_ = &domain.AuditEntry{Action: domain.AuditSignIn, SubjectKind: "operator"}
	_ = Notify(ctx, tx, domain.TopicTicket, strconv.Itoa(id))
	_ = enqueueMail(ctx, tx, to, "lv", "imk.approved", nil)
	key.NewBinding(key.WithKeys("up"))
	_ = DenialCall{Action: "deny"}
}
`
	f, err = parser.ParseFile(token.NewFileSet(), "y.go", clean, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	if got := bareStrings(f, false, map[string]bool{"imk.approved": true}, topics, map[string]bool{"imk.approved": true}, sql); len(got) > 0 {
		t.Errorf("clean code flagged: %v", got)
	}
	// A test may exercise the audit log and the feed with actions and
	// topics of its own; only the program's own are constants there.
	own := `package x
func TestX() {
	_ = &domain.AuditEntry{Action: fmt.Sprintf("test.%d", i)}
	_ = Notify(ctx, tx, "thing", "1")
	_ = domain.Change{Topic: "thing"}
	_ = Notify(ctx, tx, "ticket", "1")
}
`
	fset = token.NewFileSet()
	if f, err = parser.ParseFile(fset, "x_test.go", own, parser.SkipObjectResolution); err != nil {
		t.Fatal(err)
	}
	got = bareStrings(f, true, actions, topics, map[string]bool{}, sql)
	if len(got) != 1 || fset.Position(got[0].pos).Line != 6 {
		t.Errorf("in a test file, want only the program's topic on line 6 flagged, got %v", got)
	}
}

type bareString struct {
	pos token.Pos
	why string
}

// bareStrings returns the bare actions and topics of f. In a test file
// (test) only the program's own actions and topics count: a test may
// exercise the audit log or the feed with made-up ones.
func bareStrings(f *ast.File, test bool, actions, topics, ambiguous map[string]bool, sqlAction *regexp.Regexp) []bareString {
	var out []bareString
	flag := func(n ast.Node, why string) { out = append(out, bareString{n.Pos(), why}) }
	unquote := func(b *ast.BasicLit) string {
		s, err := strconv.Unquote(b.Value)
		if err != nil {
			return b.Value
		}
		return s
	}
	// literalIn returns the first string literal inside e, if any, that
	// counts: in a test file, one that is the program's own action,
	// topic or feed state. A blank string names nothing (no topic, an
	// action left empty) and never counts.
	literalIn := func(e ast.Node) *ast.BasicLit {
		var lit *ast.BasicLit
		ast.Inspect(e, func(n ast.Node) bool {
			if b, ok := n.(*ast.BasicLit); ok && b.Kind == token.STRING && lit == nil && strings.TrimSpace(unquote(b)) != "" {
				if s := unquote(b); !test || actions[s] || topics[s] || s == "up" || s == "down" {
					lit = b
				}
			}
			return lit == nil
		})
		return lit
	}
	dotted := func(b *ast.BasicLit) bool { return strings.Contains(unquote(b), ".") }
	selName := func(e ast.Expr) string {
		if s, ok := e.(*ast.SelectorExpr); ok {
			return s.Sel.Name
		}
		return ""
	}
	typeName := func(e ast.Expr) string {
		switch t := e.(type) {
		case *ast.Ident:
			return t.Name
		case *ast.SelectorExpr:
			return t.Sel.Name
		}
		return ""
	}
	feedID := func(b *ast.BasicLit) bool { s := unquote(b); return s == "up" || s == "down" }
	namedRE := regexp.MustCompile(`^(?i:action|topic|topics|[a-z]+Topic)$`)
	checkNamed := func(names []*ast.Ident, values []ast.Expr) {
		if len(names) != len(values) {
			return // values from a call
		}
		for i, n := range names {
			if _, call := values[i].(*ast.CallExpr); call || !namedRE.MatchString(n.Name) {
				continue
			}
			lit := literalIn(values[i])
			if lit == nil {
				continue
			}
			if strings.EqualFold(n.Name, "action") && !dotted(lit) {
				continue // an action of something else ("deny", "submitted")
			}
			flag(lit, "variable "+n.Name+" set to the bare string "+lit.Value)
		}
	}

	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			tn := typeName(n.Type)
			for _, el := range n.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, _ := kv.Key.(*ast.Ident)
				if key == nil {
					continue
				}
				lit := literalIn(kv.Value)
				switch {
				case lit == nil:
				case tn == "AuditEntry" && key.Name == "Action":
					flag(lit, "AuditEntry.Action is the bare string "+lit.Value)
				case tn == "Change" && key.Name == "Topic":
					flag(lit, "Change.Topic is the bare string "+lit.Value)
				case tn == "Change" && key.Name == "ID" && feedID(lit):
					flag(lit, "Change.ID is the bare string "+lit.Value+" (domain.ChangeUp, ChangeDown)")
				}
			}
		case *ast.CallExpr:
			name := typeName(n.Fun)
			switch {
			case name == "Notify" && len(n.Args) == 4:
				if lit := literalIn(n.Args[2]); lit != nil {
					flag(lit, "Notify's topic is the bare string "+lit.Value)
				}
			case name == "Subscribe":
				for _, a := range n.Args {
					if lit := literalIn(a); lit != nil {
						flag(lit, "Subscribe's topic is the bare string "+lit.Value)
					}
				}
			}
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				break
			}
			for _, pair := range [][2]ast.Expr{{n.X, n.Y}, {n.Y, n.X}} {
				lit, ok := pair[1].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING || literalIn(lit) == nil {
					continue
				}
				switch selName(pair[0]) {
				case "Topic":
					flag(lit, ".Topic compared with the bare string "+lit.Value)
				case "Action":
					if dotted(lit) {
						flag(lit, ".Action compared with the bare string "+lit.Value)
					}
				case "ID":
					if feedID(lit) {
						flag(lit, ".ID compared with the bare string "+lit.Value)
					}
				}
			}
		case *ast.SwitchStmt:
			tag := selName(n.Tag)
			if tag != "Topic" && tag != "ID" {
				break
			}
			for _, st := range n.Body.List {
				for _, e := range st.(*ast.CaseClause).List {
					if lit, ok := e.(*ast.BasicLit); ok && literalIn(lit) != nil && (tag == "Topic" || feedID(lit)) {
						flag(lit, "switch on ."+tag+" with the bare case "+lit.Value)
					}
				}
			}
		case *ast.ValueSpec:
			values := n.Values
			checkNamed(n.Names, values)
		case *ast.AssignStmt:
			var names []*ast.Ident
			for _, l := range n.Lhs {
				id, _ := l.(*ast.Ident)
				if id == nil {
					id = &ast.Ident{Name: "_"}
				}
				names = append(names, id)
			}
			checkNamed(names, n.Rhs)
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				break
			}
			s := unquote(n)
			switch {
			case actions[s] && !ambiguous[s]:
				flag(n, "the audit action "+n.Value+" as a bare string")
			case sqlAction.MatchString(s):
				flag(n, "an audit action quoted in SQL: "+sqlAction.FindString(s))
			}
		}
		return true
	})
	slices.SortFunc(out, func(a, b bareString) int { return int(a.pos - b.pos) })
	return slices.CompactFunc(out, func(a, b bareString) bool { return a.pos == b.pos })
}

// constantValues returns the values of the string constants of file.
func constantValues(t *testing.T, file string) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				if b, ok := v.(*ast.BasicLit); ok && b.Kind == token.STRING {
					s, _ := strconv.Unquote(b.Value)
					out[s] = true
				}
			}
		}
	}
	return out
}
