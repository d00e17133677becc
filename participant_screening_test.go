package mentorbot

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScreeningFormParse(t *testing.T) {
	tests := []struct {
		name string
		form ScreeningForm
		want Decision
	}{
		{"approve with one check", ScreeningForm{Decision: "approve", Checks: []string{"patience"}},
			Decision{Approve: true, Screening: Screening{Checks: []string{"patience"}}}},
		{"approve with every check", ScreeningForm{Decision: "approve", Checks: []string{"patience", "example", "focus", "listening"}},
			Decision{Approve: true, Screening: Screening{Checks: []string{"patience", "example", "focus", "listening"}}}},
		{"decline with no check", ScreeningForm{Decision: "decline"},
			Decision{}},
		{"decline with the checks that were seen", ScreeningForm{Decision: "decline", Checks: []string{"focus"}},
			Decision{Screening: Screening{Checks: []string{"focus"}}}},
		{"decision padded with spaces", ScreeningForm{Decision: " approve\n", Checks: []string{"example"}},
			Decision{Approve: true, Screening: Screening{Checks: []string{"example"}}}},
		{"note trimmed", ScreeningForm{Decision: "decline", Note: "\n  Thanks for applying; try again next cycle.  "},
			Decision{Screening: Screening{Note: "Thanks for applying; try again next cycle."}}},
		{"longest note", ScreeningForm{Decision: "approve", Checks: []string{"listening"}, Note: " " + strings.Repeat("é", MaxScreeningNoteChars) + " "},
			Decision{Approve: true, Screening: Screening{Checks: []string{"listening"}, Note: strings.Repeat("é", MaxScreeningNoteChars)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.form.Parse()
			if err != nil {
				t.Fatalf("Parse(%+v): %v", tt.form, err)
			}
			if got.Approve != tt.want.Approve || got.Note != tt.want.Note || !slices.Equal(got.Checks, tt.want.Checks) {
				t.Fatalf("Parse(%+v) = %+v, want %+v", tt.form, got, tt.want)
			}
		})
	}
}

func TestScreeningChecksAreEachAccepted(t *testing.T) {
	for _, q := range ScreeningChecks {
		if q.ID == "" || q.Label == "" {
			t.Errorf("screening check %+v has no ID or label", q)
		}
		if _, err := (ScreeningForm{Decision: "approve", Checks: []string{q.ID}}).Parse(); err != nil {
			t.Errorf("approving with the check %q: %v", q.ID, err)
		}
	}
}

// TestScreeningFormFieldErrors checks that each problem is reported on the
// field that has it, and on no other.
func TestScreeningFormFieldErrors(t *testing.T) {
	tests := []struct {
		name  string
		form  ScreeningForm
		field string
		says  string
	}{
		{"approve with no check", ScreeningForm{Decision: "approve"}, FieldChecks, "approve once you've confirmed at least one"},
		{"approve with an empty list of checks", ScreeningForm{Decision: "approve", Checks: []string{}}, FieldChecks, "at least one"},
		{"approve with an unknown check", ScreeningForm{Decision: "approve", Checks: []string{"charisma"}}, FieldChecks, "only the qualities in the list"},
		{"approve with a known and an unknown check", ScreeningForm{Decision: "approve", Checks: []string{"patience", "Patience"}}, FieldChecks, "only the qualities in the list"},
		{"decline with an unknown check", ScreeningForm{Decision: "decline", Checks: []string{""}}, FieldChecks, "only the qualities in the list"},
		{"no decision", ScreeningForm{Checks: []string{"patience"}}, FieldDecision, "approve or decline"},
		{"unknown decision", ScreeningForm{Decision: "maybe", Checks: []string{"patience"}}, FieldDecision, "approve or decline"},
		{"decision in capitals", ScreeningForm{Decision: "APPROVE", Checks: []string{"patience"}}, FieldDecision, "approve or decline"},
		{"note too long", ScreeningForm{Decision: "decline", Note: strings.Repeat("n", MaxScreeningNoteChars+1)}, FieldScreeningNote, "under 500 characters (this one has 501)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.form.Parse()
			fields := ErrorFields(err)
			if ErrorCode(err) != EINVALID || !strings.Contains(fields[tt.field], tt.says) {
				t.Fatalf("Parse: err %v, want field %q saying %q", err, tt.field, tt.says)
			}
			if len(fields) != 1 {
				t.Fatalf("Parse: fields %v, want a message on %q only", fields, tt.field)
			}
		})
	}
}

// FuzzScreeningForm checks that HR's decision is either refused on the
// screening form's fields or gives a decision that keeps its rules: an
// approval rests on at least one known quality, and the note is trimmed
// and short.
func FuzzScreeningForm(f *testing.F) {
	f.Add("approve", "patience\nexample", "Lovely examples in the interview.")
	f.Add("decline", "", "  Thanks for applying; try again next cycle.\n")
	f.Add(" approve\t", "listening", strings.Repeat("é", MaxScreeningNoteChars))
	f.Add("approve", "", "")
	f.Add("decline", "charisma", strings.Repeat("n", MaxScreeningNoteChars+1))
	f.Add("APPROVE", "\n", "\u00a0note in no-break spaces\u00a0")
	f.Add("", "patience\npatience", "👩🏽‍💻 emoji that are many bytes")
	f.Fuzz(func(t *testing.T, decision, checks, note string) {
		form := ScreeningForm{Decision: decision, Note: note}
		if checks != "" {
			form.Checks = strings.Split(checks, "\n")
		}
		d, err := form.Parse()
		if err != nil {
			refusedOn(t, err, FieldDecision, FieldChecks, FieldScreeningNote)
			return
		}
		if want := strings.TrimSpace(decision); want != "approve" && want != "decline" || d.Approve != (want == "approve") {
			t.Fatalf("accepted the decision %q as approve=%v", decision, d.Approve)
		}
		for _, id := range d.Checks {
			if !slices.ContainsFunc(ScreeningChecks, func(q Quality) bool { return q.ID == id }) {
				t.Fatalf("accepted the unknown quality %q", id)
			}
		}
		if d.Approve && len(d.Checks) == 0 {
			t.Fatal("accepted an approval without a quality")
		}
		if d.Note != strings.TrimSpace(note) || utf8.RuneCountInString(d.Note) > MaxScreeningNoteChars {
			t.Fatalf("accepted the note %q as %q", note, d.Note)
		}
	})
}
