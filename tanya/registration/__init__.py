"""Pre-registration building blocks: validators, encryption, storage, export."""
