# The API image: Python packages exactly as requirements.lock pins them (what the suite
# ran with), the front-end libraries exactly as package-lock.json pins them (served by
# the app from /app/node_modules, never a CDN), no compiler, a non-root user.
#
# The bases are arguments: where no registry is reachable, build them locally and pass
# their tags (docs/scaling.md, "Containers").
ARG PYTHON_BASE=python:3.11-slim-bookworm
ARG NODE_BASE=node:20-bookworm-slim

FROM ${NODE_BASE} AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM ${PYTHON_BASE}
# Pango for WeasyPrint's PDFs; DejaVu Sans for notices in Russian (docs/notices.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir uv==0.13.9 \
    && uv pip sync --system --no-cache requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
# Editable, like `make install`: the pages find /app/node_modules beside /app/src.
RUN uv pip install --system --no-cache --no-deps -e .
COPY --from=assets /app/node_modules ./node_modules
RUN useradd --system --uid 10001 --home-dir /app garita \
    && mkdir -p /app/var/anchors && chown -R garita /app/var
USER garita
ENV GARITA_ENV=production \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health/ready', timeout=2)"]
CMD ["garita", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
