# Bellwether: multi-stage image. The build stage compiles (TypeScript → dist/, better-sqlite3's native
# module) and installs the production tree with scripts/install-production.sh, the same script CI runs
# (test/install-production.test.ts); the runtime stage is Node 20 slim with that tree only, as a non-root user.
#   docker build -t bellwether .
#   docker run -p 8080:8080 -v bellwether-data:/data bellwether

FROM node:20-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# npm ci builds dist/ (the prepare script); then the production tree goes to /app.
RUN npm ci && scripts/install-production.sh /app

FROM node:20-slim
ENV NODE_ENV=production \
    DATABASE_URL=/data/bellwether.db \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The node image's unprivileged user owns only the data volume; the code stays read-only to it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /readyz (scripts/healthcheck.mjs): the database answers, migrations are current, the scheduler ticks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# SIGTERM (docker stop) shuts down cleanly, during start-up too: the transaction in flight finishes, exit code 0.
CMD ["node", "bin/bellwether.js", "start"]
