# One image for web and workers (docker-compose.yml picks the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt requirements-nodeps.txt constraints.txt ./
# torch first, exactly pinned, from the CPU index: a looser pin pulls GBs of CUDA packages.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir -r requirements.txt -c constraints.txt \
 && pip install --no-cache-dir --no-deps -r requirements-nodeps.txt
COPY . .
RUN DJANGO_SECRET_KEY=build-only-not-secret-build-only-not-secret DJANGO_DEBUG=false \
    DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput
RUN useradd --create-home app && mkdir -p /data/media && chown -R app /data /app
USER app
EXPOSE 8000
CMD ["gunicorn", "-c", "cinescent/gunicorn_conf.py", "--bind", "0.0.0.0:8000", "cinescent.wsgi:application"]
