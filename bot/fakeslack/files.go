package fakeslack

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
)

// File is a file shared in a message, as the people there can open it.
type File struct {
	ID       string
	Name     string // the filename given to files.getUploadURLExternal
	Title    string // the title given on completion; Name when none was
	Mimetype string // guessed from Name's extension, as Slack does
	Content  []byte
}

// fileRecord is one upload, from files.getUploadURLExternal to its share.
type fileRecord struct {
	id        string
	name      string
	length    int // as declared to files.getUploadURLExternal
	content   []byte
	uploaded  bool
	completed bool
	title     string
}

func (f *fileRecord) export() File {
	return File{ID: f.id, Name: f.name, Title: f.title, Mimetype: mimetypeOf(f.name), Content: slices.Clone(f.content)}
}

// wire is the file as Slack lists it in a message.
func (f *fileRecord) wire() map[string]any {
	return map[string]any{
		"id":       f.id,
		"name":     f.name,
		"title":    f.title,
		"mimetype": mimetypeOf(f.name),
		"size":     len(f.content),
	}
}

// mimetypes are the types of the files a bot is likely to share; the
// standard library's table lacks some (.ics) and the system's varies.
var mimetypes = map[string]string{
	".ics":  "text/calendar",
	".csv":  "text/csv",
	".txt":  "text/plain",
	".json": "application/json",
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
}

func mimetypeOf(name string) string {
	if t, ok := mimetypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// uploadPath is where upload URLs point: the fake's own host, since
// slack-go sends the token only to Slack or to the API URL's host.
const uploadPath = "/upload/v1/"

// maxUploadBytes bounds what the fake reads of one upload.
const maxUploadBytes = 10 << 20

func (s *Server) filesGetUploadURLExternal(r *apiRequest) apiResponse {
	var problems []problem
	for _, field := range []string{"filename", "length"} {
		if r.str(field) == "" {
			problems = append(problems, problem{"/" + field, "missing required field: " + field})
		}
	}
	length, err := strconv.Atoi(r.str("length"))
	if len(problems) == 0 && (err != nil || length < 0) {
		problems = append(problems, problem{"/length", fmt.Sprintf("length must be a whole number of bytes, got %q", r.str("length"))})
	}
	if len(problems) > 0 {
		return s.invalidArguments(r.method, problems)
	}
	if length == 0 {
		s.violateLocked("%s: length is 0; Slack wants the size of the file", r.method)
		return errorResponse("missing_argument")
	}
	f := &fileRecord{id: fmt.Sprintf("F%09d", s.nextLocked()), name: r.str("filename"), length: length}
	s.files[f.id] = f
	return okResponse(apiResponse{"upload_url": s.baseURL + uploadPath + f.id, "file_id": f.id})
}

// handleUpload takes a file's bytes at its upload URL: a multipart form
// with the bytes in field "file" (as slack-go's UploadToURL sends them), or
// the raw body. It answers as Slack does, with "OK - <size>".
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, uploadPath)
	call := Call{Method: "upload_url", Params: url.Values{"file_id": {id}}, At: s.now()}
	content, filename, err := readUpload(r)

	s.mu.Lock()
	defer s.mu.Unlock()
	if fault := s.takeFaultLocked(call.Method, call.At); fault != nil {
		s.failLocked(w, call, fault.Status, fault.RetryAfter)
		return
	}
	f := s.files[id]
	switch {
	case f == nil || f.completed:
		call.Status = http.StatusNotFound
		s.recordCallLocked(call)
		http.NotFound(w, r)
		return
	case err != nil:
		s.violateLocked("upload_url: file %s: unreadable upload: %v", id, err)
		call.Status = http.StatusBadRequest
		s.recordCallLocked(call)
		http.Error(w, "bad upload", http.StatusBadRequest)
		return
	}
	if len(content) != f.length {
		s.violateLocked("upload_url: file %s (%s) was declared %d bytes long but %d bytes came", id, f.name, f.length, len(content))
	}
	f.content, f.uploaded = content, true
	call.Params.Set("filename", filename)
	call.Params.Set("length", strconv.Itoa(len(content)))
	call.Status = http.StatusOK
	s.recordCallLocked(call)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = fmt.Fprintf(w, "OK - %d", len(content))
}

// readUpload returns the uploaded bytes and the filename sent with them.
func readUpload(r *http.Request) ([]byte, string, error) {
	body := io.LimitReader(r.Body, maxUploadBytes)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		content, err := io.ReadAll(body)
		return content, "", err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", err
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, "", fmt.Errorf("no field \"file\": %w", err)
		}
		if part.FormName() == "file" {
			content, err := io.ReadAll(io.LimitReader(part, maxUploadBytes))
			return content, part.FileName(), err
		}
	}
}

func (s *Server) filesCompleteUploadExternal(r *apiRequest) apiResponse {
	raw, ok := r.object("files")
	if !ok {
		return s.invalidArguments(r.method, []problem{{"/files", "missing required field: files"}})
	}
	var summaries []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal(raw, &summaries); err != nil || len(summaries) == 0 {
		return s.invalidArguments(r.method, []problem{{"/files", fmt.Sprintf("files must be a non-empty array of {\"id\", \"title\"}, got %.200s", raw)}})
	}
	for _, sum := range summaries {
		f := s.files[sum.ID]
		switch {
		case f == nil || !f.uploaded:
			return errorResponse("file_not_found")
		case f.completed:
			// Slack documents that completion happens once, not what a second
			// one answers.
			return errorResponse("already_completed")
		}
	}
	var channels []string
	for _, c := range append([]string{r.str("channel_id")}, strings.Split(r.str("channels"), ",")...) {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		id, ok := s.resolveChannelLocked(c)
		if !ok {
			return errorResponse("invalid_channel")
		}
		channels = append(channels, id)
	}
	// Slack ignores blocks when there is an initial comment.
	comment := r.str("initial_comment")
	blocks, hasBlocks := r.object("blocks")
	content, fail := s.readMessageContent(r.method, comment, blocks, hasBlocks && comment == "")
	if fail != nil {
		return fail
	}

	shared := make([]any, len(summaries))
	for i, sum := range summaries {
		f := s.files[sum.ID]
		f.completed = true
		f.title = sum.Title
		if f.title == "" {
			f.title = f.name
		}
		content.files = append(content.files, f)
		shared[i] = map[string]any{"id": f.id, "title": f.title}
	}
	// Without a channel the files stay private to the bot.
	for _, channel := range channels {
		s.postLocked(channel, content, r.str("thread_ts"))
	}
	return okResponse(apiResponse{"files": shared})
}

// Files returns the files shared in the person's DM with the bot, oldest first.
func (p *Person) Files() []File {
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	var out []File
	for _, m := range p.s.channels[p.DMChannel()] {
		for _, f := range m.files {
			out = append(out, f.export())
		}
	}
	return out
}
