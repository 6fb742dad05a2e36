# Tollgate gateway image. Build: docker build -t tollgate .  Run: docker run -p 2775:2775 -p 8080:8080 tollgate
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY bin ./bin
COPY protocols ./protocols
COPY routing ./routing
COPY gateway ./gateway
COPY config ./config
COPY simulators ./simulators

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 2775 8080
VOLUME ["/app/data"]
ENTRYPOINT ["node", "--max-semi-space-size=32", "bin/tollgate"]
CMD ["start", "--config", "config/demo.yaml"]
