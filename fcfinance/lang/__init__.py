"""Chinese names of fields and Chinese wording of messages (``--lang zh``): data only, importing no other layer."""
