// Original file: mooring/v1/machines.proto


/**
 * A list that may be given empty (to clear it) and told apart from one not given at all.
 */
export interface TagList {
  'tags'?: (string)[];
}

/**
 * A list that may be given empty (to clear it) and told apart from one not given at all.
 */
export interface TagList__Output {
  'tags': (string)[];
}
