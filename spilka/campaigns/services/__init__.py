"""Writes for campaigns, split by concept: campaigns, petitions (signing, signature_intake),
resolutions, statements (cosignatures, individual_signatories, statement_mail), legislation."""
