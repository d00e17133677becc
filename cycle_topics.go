package mentorbot

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
