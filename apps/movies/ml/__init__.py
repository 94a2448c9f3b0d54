"""Pure ML code for movies (no ORM): language routing, sentiment + rating models, training."""
