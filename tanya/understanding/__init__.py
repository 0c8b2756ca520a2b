"""Deterministic understanding from the knowledge data: what a message says about segment, topic and act.

normalise.py turns text into canonical tokens (slang, affixes, typos); lexicon.py compiles every
alias and cue of data/knowledge into phrases; matcher.py finds them; reading.py says what they mean
for one message (segment evidence, facets, acts, countries...); resolver.py decides the intent
together with DIET's ranking. Rasa runs it as an NLU component (tanya/rasa_addons/nlu_components.py).
"""
