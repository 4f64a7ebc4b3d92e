# syntax=docker/dockerfile:1
# Optional external scanners: `docker build --build-arg SCANNERS=all .` adds Trivy, Kubescape, kube-linter and
# Datree, copied from their official images (the versions below; pin them by digest in production, e.g.
# --build-arg TRIVY_IMAGE=aquasec/trivy:0.74.0@sha256:...). The default, `none`, adds no scanner.
ARG SCANNERS=none
ARG TRIVY_IMAGE=aquasec/trivy:0.74.0
ARG KUBESCAPE_IMAGE=quay.io/kubescape/kubescape-cli:v4.0.12
ARG KUBE_LINTER_IMAGE=ghcr.io/stackrox/kube-linter:v0.8.3
ARG DATREE_IMAGE=datree/datree:latest
# Build stage: dev dependencies, TypeScript compile.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# tini, alone: as PID 1 it forwards SIGTERM to node (which drains, see src/github/lifecycle.ts) and reaps
# the child processes of external scanners.
FROM node:22-bookworm-slim AS tini
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*

# Scanners: `none` is an empty folder; `all` holds the static binaries and Kubescape's artifacts (its controls and
# frameworks, downloaded when its image was built), so that scans never reach the network. BuildKit pulls the
# scanner images only for SCANNERS=all. Datree is archived: supported as long as its binary runs, offline only.
FROM node:22-bookworm-slim AS scanners-none
RUN mkdir -p /opt/minpriv/scanners/bin
FROM ${TRIVY_IMAGE} AS trivy
FROM ${KUBESCAPE_IMAGE} AS kubescape
FROM ${KUBE_LINTER_IMAGE} AS kube-linter
FROM ${DATREE_IMAGE} AS datree
FROM scanners-none AS scanners-all
COPY --from=trivy /usr/local/bin/trivy /opt/minpriv/scanners/bin/trivy
COPY --from=kubescape /usr/bin/kubescape /opt/minpriv/scanners/bin/kubescape
COPY --from=kubescape /home/nonroot/.kubescape /opt/minpriv/scanners/kubescape-artifacts
COPY --from=kube-linter /kube-linter /opt/minpriv/scanners/bin/kube-linter
COPY --from=datree /datree /opt/minpriv/scanners/bin/datree
FROM scanners-${SCANNERS} AS scanners

# Production dependencies only.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Runtime: compiled app, production node_modules, non-root, read-only friendly (writes only to /tmp).
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    NO_SMEE_SETUP=true \
    HOME=/tmp \
    NPM_CONFIG_CACHE=/tmp/.npm
WORKDIR /app
COPY --from=tini --chown=root:root /usr/bin/tini /usr/bin/tini
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json app.yml ./
# The rule docs and the config schema, served at /docs/rules and /schema/minpriv.schema.json (src/server/docs.ts).
COPY --chown=root:root docs/rules ./docs/rules
COPY --chown=root:root schema ./schema
# The external scanners (an empty folder unless built with SCANNERS=all), found on PATH by the app.
COPY --from=scanners --chown=root:root /opt/minpriv/scanners /opt/minpriv/scanners
ENV PATH=/opt/minpriv/scanners/bin:$PATH \
    MINPRIV_KUBESCAPE_ARTIFACTS=/opt/minpriv/scanners/kubescape-artifacts
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ping').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# APP_ID, PRIVATE_KEY and WEBHOOK_SECRET come from the environment (a Secret). dist/server/main.js is Probot's
# server plus the drain on SIGTERM/SIGINT and the sweep for unfinished check runs (`probot run` has neither).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/server/main.js"]
