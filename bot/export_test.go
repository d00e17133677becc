package bot

import "slices"

// Routes names everything the bot answers, one name a route: "command
// /mentor <subcommand>", "action <action_id>", "view <callback_id>" and
// "event <type>". Some action and callback IDs are the same word, so the
// kind comes first.
func (b *Bot) Routes() []string {
	var names []string
	for command := range b.routes.commands {
		if command != "/mentor" {
			names = append(names, "command "+command)
		}
	}
	for _, sc := range b.subcommands() {
		names = append(names, "command /mentor "+sc.name)
	}
	for id := range b.routes.actions {
		names = append(names, "action "+id)
	}
	for id := range b.routes.submissions {
		names = append(names, "view "+id)
	}
	for kind := range b.routes.events {
		names = append(names, "event "+kind)
	}
	slices.Sort(names)
	return names
}

// CycleModal is the form an admin opens or edits a cycle with.
var CycleModal = cycleModal
