"""The staff dashboard: figures of every feature (FAQ, inbox, surveys, bookings) on one page and as CSV.

It owns no table: it reads the other features' parts of the store (store.faq, store.inbox, store.surveys,
store.bookings) through their query methods.
"""
