-- What the portal's Impressum, privacy and accessibility statements and help say about the
-- municipality (JSON of a TenantProfile); public information of an authority, so in clear. The
-- same as the SQLite schema's thirteenth step.
ALTER TABLE tenants ADD COLUMN profile TEXT;
