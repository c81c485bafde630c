/**
 * Hashtag stuffing: many hashtags, or hashtags making up much of a short text. Ordinary posts
 * carry one to three; a promo carries a fistful to be found under every topic.
 */
export function isHashtagStuffing(hashtags: number, distinctWords: number): boolean {
  return hashtags >= 6 || (hashtags >= 4 && hashtags * 2 >= distinctWords);
}
