# TanyaBPJAMSOSTEK: the two commands are `make run` and `make test`.
.PHONY: run test setup train validate unit integration eval eval-e2e bench clean

run:            ## set up what is missing, train if inputs changed, start actions (:5055), Rasa (:5005) and the website (:8080) under supervisord
	./scripts/run.sh

test:           ## set up, validate data, unit tests, train, conversation tests
	./scripts/test.sh

setup:          ## virtualenv, packages, spaCy pipeline, knowledge base, model
	./scripts/setup.sh

train:
	./scripts/train.sh

validate:
	.venv/bin/rasa data validate --config config.yml --domain domain.yml --data data/nlu data/rules --fail-on-warnings

# Scripts' environment (PYTHONPATH, the dev secrets) for the one-line targets below.
IN_ENV = bash -c 'source scripts/lib.sh && "$$@"' --

unit:
	$(IN_ENV) .venv/bin/python -m pytest -q tests/unit

integration:    ## a real assistant on free ports: test stories, conversations, channels, fuzzing
	$(IN_ENV) .venv/bin/python -m pytest -q tests/integration

eval:           ## held-out NLU (tests/nlu): intent, entity and language accuracy and macro-F1 per language, overlap with training
	$(IN_ENV) .venv/bin/python scripts/evaluate_nlu.py --model models/current.tar.gz

eval-e2e:       ## the independent end-to-end evaluation (../shared/eval) against a freshly started assistant
	$(IN_ENV) .venv/bin/python scripts/eval_e2e.py

USERS ?= 1
DURATION ?= 30
bench:          ## load a RUNNING assistant: make bench USERS=20 DURATION=30
	.venv/bin/python scripts/bench.py --users $(USERS) --seconds $(DURATION)

clean:          ## build outputs only: never .data (stored registrations and conversations) or .keys (the key that decrypts them)
	rm -rf models .rasa .spacy results artifacts

URL ?=
telegram-webhook: ## register the Telegram webhook (once per URL): make telegram-webhook URL=https://host/webhooks/telegram/webhook
	@test -n "$(URL)" || { echo "usage: make telegram-webhook URL=https://<host>/webhooks/telegram/webhook"; exit 2; }
	$(IN_ENV) .venv/bin/python -m tanya.channels.telegram set-webhook --url "$(URL)"

.PHONY: dashboard analytics
SINCE ?=
dashboard:      ## staff dashboard of the deflection numbers (needs TANYA_DASHBOARD_TOKEN): http://127.0.0.1:8090/
	./scripts/setup_dashboard.sh
	$(IN_ENV) .venv/bin/python -m tanya.dashboard

analytics:      ## deflection numbers as JSON: make analytics SINCE=2026-12-01
	$(IN_ENV) .venv/bin/python -m tanya.analytics --json $(if $(SINCE),--since $(SINCE))

# -- production cluster (docs/production.md) ----------------------------------------------------
.PHONY: run-cluster test-cluster bench-compare
INSTANCES ?= 2
run-cluster:    ## INSTANCES Rasa servers + 2 action servers behind nginx on :5005 (PostgreSQL, Redis, RabbitMQ)
	INSTANCES=$(INSTANCES) ./scripts/run_cluster.sh

test-cluster:   ## a 2-instance cluster on free ports: bursts, the event queue, faults (about 5 minutes)
	./scripts/setup_cluster.sh --balancer
	$(IN_ENV) .venv/bin/python -m pytest -q -s -p no:cacheprovider tests/unit/cluster tests/cluster

bench-compare:  ## this assistant against `rasa init`'s bot in one run, then the cluster (about 25 minutes)
	./scripts/setup_cluster.sh --balancer
	$(IN_ENV) .venv/bin/python scripts/bench_compare.py

# -- code health ---------------------------------------------------------------------------------
.PHONY: lint migrate
lint:           ## ruff (ruff.toml) and the widget's unit tests (node --test), as in `make test`
	.venv/bin/ruff check --no-cache tanya actions tests scripts
	node --test web/widget/tests/

migrate:        ## bring the database (DATABASE_URL or .data/tanya.db) to the newest migration (tanya/migrations)
	$(IN_ENV) .venv/bin/python -m tanya.migrations upgrade
