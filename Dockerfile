# syntax=docker/dockerfile:1

# SQLite is modernc's pure Go port, so the binary builds static, without cgo.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# timetzdata embeds the zone database, so MENTORBOT_TIMEZONE needs nothing
# from the base image.
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/mentorbot ./cmd/mentorbot \
    && mkdir /out/data

# distroless static: CA certificates for Slack's TLS, a nonroot user, no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/mentorbot /usr/local/bin/mentorbot
# The database directory belongs to nonroot (65532); a new named volume
# takes this ownership, so the bot can write there.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
VOLUME /data
ENV MENTORBOT_DB=/data/mentorbot.db \
    MENTORBOT_HTTP_ADDR=:9090
EXPOSE 9090
USER 65532:65532
# run by default; other commands by name, e.g. backup /data/copy.db.
ENTRYPOINT ["/usr/local/bin/mentorbot"]
CMD ["run"]
