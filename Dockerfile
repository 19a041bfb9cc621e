# Build a static binary, then ship it alone with CA certificates, running as
# an unprivileged user. Time zones need no files: the binary embeds the
# database (time/tzdata in cmd/nashra/run.go).
#
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse --short HEAD) -t nashra .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Declared after the sources so a new version does not re-download modules.
ARG VERSION=dev
ARG COMMIT=unknown
RUN CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
    -o /out/nashra ./cmd/nashra

FROM debian:bookworm-slim AS certs
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/nashra /nashra
USER 65532:65532
EXPOSE 8080
# The image has no shell: the binary asks its own HTTP server.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["/nashra", "healthcheck"]
ENTRYPOINT ["/nashra"]
CMD ["run"]
