package mentorbot

import "context"

// DefaultTopics is the catalogue people pick from until HR sets one for a
// cycle: the subjects reverse mentoring is most often about.
var DefaultTopics = []string{
	"AI assistants at work",
	"Social media",
	"Personal branding online",
	"Data visualisation",
	"Spreadsheets and automation",
	"No-code tools",
	"Collaboration tools",
	"Video and content creation",
	"Mobile apps",
	"Cybersecurity habits",
	"Remote and hybrid work",
	"How younger colleagues work",
	"Diversity and inclusion",
	"Customer trends",
	"Sustainability",
}

// Catalogue returns the topics people pick from: the open cycle's, or the
// built-in list when no cycle is open.
func (pr *Programme) Catalogue(ctx context.Context) ([]string, error) {
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return nil, err
	}
	if cycle == nil || len(cycle.Topics) == 0 {
		return DefaultTopics, nil
	}
	return cycle.Topics, nil
}
