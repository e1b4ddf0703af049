# The two images, from one file so they share the page and the server bundle they are built from:
#
#   docker build --target functions .   the function replica; alone it serves the page and the
#                                        API on :8080 (docker run -p 8080:8080 IMAGE)
#   docker build --target proxy .       nginx at the edge: the page, and /api/ over the replicas
#
# The function image fetches toxic-bert from the Hub (checksums verified), or copies a model
# folder that holds <model id>/config.json etc. (model/weights, the offline stand-in
# model/offline): --build-arg MODEL_SOURCE=local --build-arg LOCAL_MODEL_DIR=model/weights.
# Only the weights of MODEL_DTYPE go into the image.
ARG NODE_IMAGE=node:24-bookworm-slim

# package.json without its scripts: editing a script must not invalidate the npm ci layers.
FROM ${NODE_IMAGE} AS manifest
WORKDIR /app
COPY package.json ./
RUN node -e "const p=require('./package.json'); delete p.scripts; require('fs').writeFileSync('deps.json', JSON.stringify(p, null, 2))"

# The page (static/dist) and the server bundled into one module per thread (dist/functions/),
# which starts faster than Node stripping the types of every source file at each start.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifest /app/deps.json package.json
COPY package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY static static
COPY functions/src functions/src
# The page's "Many texts" scores with the command-line scorer's packing, limiter and retries.
COPY cli/score cli/score
# The bundle also holds npm start's first run, which takes model/fetch; the image never runs it.
COPY model/first-run.ts model/first-run.ts
COPY model/fetch model/fetch
COPY tools/stack/build.ts tools/stack/build.ts
COPY tools/lib/repo.ts tools/lib/repo.ts
RUN npx vite build --config static/vite.config.ts --logLevel warn && npx tsx tools/stack/build.ts

FROM nginx:stable-bookworm AS proxy
# The image's entrypoint fills the template with envsubst into conf.d/default.conf at start.
RUN rm -f /etc/nginx/conf.d/default.conf
COPY proxy/nginx.conf /etc/nginx/nginx.conf
COPY proxy/10-conf-dir.sh proxy/15-api-auth.envsh proxy/16-tls.envsh proxy/30-upstream-watch.sh /docker-entrypoint.d/
COPY proxy/templates/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=build /app/static/dist /usr/share/nginx/html
# The template is filled into /tmp/conf.d: the root filesystem is read-only at run time.
# UPSTREAM_NAME: the replicas' DNS name, which 30-upstream-watch.sh follows (one A record per
# replica under compose, and under Swarm with endpoint_mode dnsrr); UPSTREAM_SERVERS includes
# the server list it writes.
ENV NGINX_ENVSUBST_OUTPUT_DIR=/tmp/conf.d \
    UPSTREAM_NAME=functions \
    UPSTREAM_PORT=8080 \
    UPSTREAM_SERVERS="include /tmp/upstream/servers.conf;" \
    LISTEN_PORT=8080 \
    STATIC_ROOT=/usr/share/nginx/html \
    RATE_LIMIT=20r/s \
    RATE_BURST=40 \
    API_TIMEOUT=60s \
    UPSTREAM_TRIES=0 \
    ACCESS_LOG=/dev/stdout
EXPOSE 8080 8443
USER nginx
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]

# Production dependencies only, pruned of what never runs on Linux in a container.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifest /app/deps.json package.json
COPY package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/onnxruntime-web \
 && cd node_modules/onnxruntime-node/bin/napi-v6 \
 && rm -rf darwin win32 \
 && find linux -mindepth 1 -maxdepth 1 ! -name "$(node -p process.arch)" -exec rm -rf {} + \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS model
WORKDIR /app
ARG MODEL_SOURCE=hub
ARG LOCAL_MODEL_DIR=model/offline
ARG MODEL_ID=unitary/toxic-bert
ARG MODEL_DTYPE=q8
ARG HF_ENDPOINT=https://huggingface.co
ARG HF_REPO=Xenova/toxic-bert
COPY functions/src functions/src
COPY model model
RUN set -e; mkdir -p "/models/$MODEL_ID/onnx"; \
    if [ "$MODEL_SOURCE" = local ]; then \
      from="$LOCAL_MODEL_DIR/$MODEL_ID"; weights=model.onnx; \
      [ "$MODEL_DTYPE" = q8 ] && weights=model_quantized.onnx; \
      cp "$from"/*.json "/models/$MODEL_ID/" && cp "$from/onnx/$weights" "/models/$MODEL_ID/onnx/"; \
    else \
      MODEL_DIR=/models MODEL_ID="$MODEL_ID" HF_ENDPOINT="$HF_ENDPOINT" HF_REPO="$HF_REPO" node model/fetch.ts --dtype "$MODEL_DTYPE"; \
    fi; \
    test -f "/models/$MODEL_ID/config.json"

FROM ${NODE_IMAGE} AS functions
ARG MODEL_DTYPE=q8
# MALLOC_MMAP_THRESHOLD_: glibc otherwise serves ~1 MiB request bodies from a heap that only
# grows (see tools/stack/stack.ts, which sets the same for the native stack).
ENV NODE_ENV=production \
    MALLOC_MMAP_THRESHOLD_=131072 \
    HOST=0.0.0.0 \
    PORT=8080 \
    MODEL_DIR=/models \
    MODEL_DTYPE=${MODEL_DTYPE} \
    ORT_THREADS=1 \
    DRAIN_TIMEOUT_MS=8000 \
    STATIC_DIR=/app/static/dist
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=manifest /app/deps.json package.json
COPY --from=build /app/dist/functions dist/functions
COPY --from=build /app/static/dist static/dist
COPY --from=model /models /models
USER node
EXPOSE 8080
# Compose and Swarm give 10 s between SIGTERM and SIGKILL; the drain bound (8 s) fits inside it.
STOPSIGNAL SIGTERM
# Every second, so a new replica counts as healthy (and takes traffic, or lets a rolling update
# go on) within a second of being ready; bash's /dev/tcp makes the check cost a few
# milliseconds, not the 40 of starting node. The engine here (20.10) has no --start-interval.
HEALTHCHECK --interval=1s --timeout=2s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
# --expose-gc, --max-semi-space-size: see SERVER_V8_FLAGS in tools/stack/replica-command.ts.
CMD ["node", "--expose-gc", "--max-semi-space-size=2", "dist/functions/server.mjs"]
