# dtu twins server. Build and run with `docker compose up --build`, or:
#   docker build -t dtu . && docker run -p 8080:8080 -v dtu-state:/data dtu
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# What the package build reads (pyproject names README.md), then the packages themselves.
COPY pyproject.toml README.md ./
COPY twins ./twins
COPY harness ./harness
# `dtu serve` with no spec serves every spec in ./openapi.
COPY openapi ./openapi
RUN pip install '.[postgres]'

# State lives in the volume; the directory is made and owned here so that a fresh named
# volume starts out writable by the non-root user.
RUN useradd --system --uid 10001 --create-home dtu \
    && mkdir -p /data \
    && chown dtu:dtu /data
USER dtu

EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/_twin/health', timeout=4)"]
CMD ["dtu", "serve", "--host", "0.0.0.0", "--port", "8080", "--db", "/data/dtu.sqlite"]
