-- The date and exact time a patient named for a booking ("tuesday at 3pm"), clinic-local ISO,
-- so the front desk can propose it with one tap.
ALTER TABLE booking_requests ADD COLUMN wished_at TEXT NOT NULL DEFAULT '';
